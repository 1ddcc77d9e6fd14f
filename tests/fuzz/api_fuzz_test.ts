// Property-based requests for every route of the app's own route table, built from the zod
// schemas each route documents (through the JSON Schema /openapi.json publishes), mixed with
// near-valid values, any JSON, broken bodies, odd headers and encodings, sent as an admin (its
// API token, now and then a session). Whatever is sent: no 5xx, a 2xx matches its documented
// schema, a 4xx says why in JSON, and a copy with a bad credential is refused.
// HATCH_FUZZ_SEED replays a run, HATCH_FUZZ_RUNS lengthens it, HATCH_FUZZ_VERBOSE=1 shows how
// the answers spread.
import fc from "fast-check";
import { manifest } from "@/routes.gen.ts";
import { type MountedRoute, routeTable } from "@/lib/web/router.tsx";
import type { OperationDoc } from "@/lib/web/define.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { sessionCookieName, sessionPolicy } from "@/lib/auth/principal.ts";
import {
  onTeardown,
  type Requester,
  startTestApp,
  tempDir,
  test,
  withToken,
} from "@/tests/helpers.ts";
import { freshContacts, hintsFor, realIds, type Rows, seedRows } from "./seed.ts";
import {
  bodyValue,
  inputSchema,
  type JsonSchema,
  pathId,
  queryPairs,
  sometimes,
} from "./arbitraries.ts";
import { badAuthorization, idempotencyKey, malformedBody, oddHeaders } from "./malformed.ts";
import { checkAnswer, fuzz, type FuzzRequest, RUNS, SEED, send, Tally } from "./harness.ts";

const dataDir = await tempDir("hatch_fuzz_");
const t = await startTestApp({
  // Thousands of sends in a minute are the point here, not the limit's business.
  HATCH_SEND_RATE_PER_MINUTE: "1000000",
  // Set so that unsigned webhook posts meet a real signature check rather than a missing key.
  TWILIO_AUTH_TOKEN: "fuzz-twilio-auth-token",
  HATCH_INBOUND_EMAIL_SECRET: `fuzz-${crypto.randomUUID()}`,
  // Whatever might be written to disk goes to a directory of this run's own.
  HATCH_DATA_DIR: dataDir,
});

// Requests come from an address of their own, so the sign-in failures the fuzzer racks up on
// POST /login throttle only that address (clientIp reads Hono's env like Deno.serve's info).
const FUZZ_IP = "198.51.100.77";
const fromFuzzIp: Requester = {
  request: (input, init) => t.raw.request(input, init, { remoteAddr: { hostname: FUZZ_IP } }),
};
const app = withToken(fromFuzzIp, t.token);

const rows = await seedRows(app, t.ctx.sql, t.userId);

// Generic inputs for routes without docs: the query keys they read, any body.
const GENERIC_QUERY: JsonSchema = {
  type: "object",
  properties: {
    q: { type: "string" },
    c: { type: "string", format: "uuid" },
    next: { type: "string" },
    secret: { type: "string" },
  },
};

interface Operation {
  name: string;
  method: string;
  route: MountedRoute;
  doc?: OperationDoc;
}

const operations: Operation[] = routeTable(manifest).flatMap((route) =>
  route.methods.map((method) => ({
    name: `${method} ${route.pattern}`,
    method,
    route,
    doc: route.module.docs?.[method as "GET"],
  }))
);
onTeardown(() => console.log(`fuzz: ${operations.length} operations × ${RUNS} runs, seed ${SEED}`));

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function requests(op: Operation, rows: Rows): fc.Arbitrary<FuzzRequest> {
  const { doc, method, route } = op;
  const hints = hintsFor(rows);
  const bodySchema: JsonSchema = doc?.body ? inputSchema(doc.body) : {};
  const body = bodyValue(bodySchema, hints);
  const json = body.map((v) => JSON.stringify(v) ?? "null");
  const contentType = fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "text/plain",
    "application/x-www-form-urlencoded",
    "",
  );
  const withBody = WRITES.has(method)
    ? fc.oneof(
      { weight: 6, arbitrary: fc.record({ json: body, contentType }) },
      { weight: 3, arbitrary: malformedBody(json).map((malformed) => ({ malformed })) },
      // Writes that read no body, and writes whose body went missing.
      { weight: doc?.body ? 1 : 4, arbitrary: fc.constant(undefined) },
    )
    : fc.constant(undefined);
  const query = queryPairs(doc?.query ? inputSchema(doc.query) : GENERIC_QUERY, hints);
  const headers = fc.tuple(
    oddHeaders,
    sometimes(idempotencyKey, 3),
    sometimes(fc.constantFrom("https://evil.example", "null", "http://localhost"), 8),
  ).map(([odd, key, origin]) => [
    ...odd,
    ...(key === undefined ? [] : [["idempotency-key", key] as [string, string]]),
    ...(origin === undefined ? [] : [["origin", origin] as [string, string]]),
  ]);
  const id = pathId(realIds(rows, route.pattern));
  const rawQuery = sometimes(
    fc.constantFrom(
      "%",
      "q=%E0%A4%A",
      "%=1",
      "before=%FF",
      "limit=%",
      "q",
      "&&=",
      "limit=1&limit=x",
    ),
    4,
  );
  return fc.record({ id, query, rawQuery, body: withBody, headers }).map((g) => ({
    method,
    path: route.pattern.replace(/:\w+/g, g.id),
    query: g.query,
    rawQuery: g.rawQuery,
    body: g.body,
    headers: g.headers,
  }));
}

const isWebhook = (op: Operation) => op.route.pattern.startsWith("/webhooks/");

// Whether a generated path still names the route once dot segments ("..", "%2e%2e") resolve:
// "/api/contacts/.." is GET /api/contacts, answered by that route, under its own documents.
function landsOn(pattern: string, path: string): boolean {
  const resolved = new URL(path, "http://hatch.test").pathname;
  const re = new RegExp(`^${pattern.replace(/:\w+/g, "[^/]+")}$`);
  return re.test(resolved);
}

const NO_CSRF = "(session cookie without its CSRF token)";
const SESSION_COOKIE = sessionCookieName(t.ctx.settings);

// The session's cookie joins the generated ones; its CSRF token goes first, so a generated one
// still overrides it. An empty Authorization keeps withToken from adding the API token.
function asSession(r: FuzzRequest, session: { token: string; csrfToken: string }): FuzzRequest {
  const headers = r.headers ?? [];
  const cookies = headers.filter(([k]) => k === "cookie").map(([, v]) => v);
  return {
    ...r,
    headers: [
      ["authorization", ""],
      ["x-csrf-token", session.csrfToken],
      ...headers.filter(([k]) => k !== "cookie"),
      ["cookie", [`${SESSION_COOKIE}=${session.token}`, ...cookies].join("; ")],
    ],
  };
}

for (const op of operations) {
  test(`fuzz ${op.name}`, async () => {
    const expectation = {
      doc: op.doc,
      page: Boolean(op.route.module.default),
      // A form post that signs in or out answers with a redirect (303).
      redirects: !op.doc,
      // Nothing unsigned gets past a webhook's signature or secret.
      only4xx: isWebhook(op),
    };
    // Contacts get deleted and merged away: routes that touch them get two of their own.
    const own = op.route.pattern.includes("contact")
      ? { ...rows, contacts: await freshContacts(app) }
      : rows;
    // A session of its own, as a browser would hold (POST /logout ends the one it is sent with).
    const session = await createSession(t.ctx.sql, {
      userId: t.userId,
      policy: sessionPolicy(t.ctx.settings),
    });
    const tally = new Tally(op.name);
    const cases = fc.tuple(
      requests(op, own),
      // Mostly the API token; now and then the browser's way: session cookie and CSRF token.
      fc.constantFrom("token", "token", "token", "session"),
      sometimes(fc.oneof(badAuthorization, fc.constant(NO_CSRF)), 2),
    );
    await fuzz(op.name, cases, async ([generated, via, refusal]) => {
      const r = via === "session" ? asSession(generated, session) : generated;
      const res = await send(app, r);
      const lands = landsOn(op.route.pattern, r.path);
      // A path that resolves to another route is held to the general rules only.
      const expected = lands ? expectation : { page: true, redirects: true };
      tally.add(res.status, await checkAnswer(r, res, expected));
      if (refusal !== undefined && lands && !op.route.module.open) {
        await checkRefused(op, generated, refusal, session.token);
      }
    });
    tally.print();
  });
}

/**
 * The same request again, refused: with a bad Authorization (and no token) a closed route
 * answers 401, a page's GET redirects to the login; a write with the session cookie but not
 * its CSRF token is a 403. Only two checks come first: a foreign Origin on a write (so it is
 * left off) and the body size limit (413).
 */
async function checkRefused(
  op: Operation,
  r: FuzzRequest,
  refusal: string,
  sessionToken: string,
): Promise<void> {
  const noCsrf = refusal === NO_CSRF;
  if (noCsrf && !WRITES.has(op.method)) return;
  const kept = (r.headers ?? []).filter(([k]) =>
    !["origin", "authorization", "cookie", "x-csrf-token"].includes(k)
  );
  const copy: FuzzRequest = {
    ...r,
    headers: noCsrf
      ? [...kept, ["cookie", `${SESSION_COOKIE}=${sessionToken}`]]
      : [...kept, ["authorization", refusal]],
  };
  const page = Boolean(op.route.module.default) && op.method === "GET";
  const res = await send(fromFuzzIp, copy);
  const tooLarge = res.status === 413 && r.body !== undefined && "malformed" in r.body;
  const status = tooLarge ? 413 : noCsrf ? 403 : page ? 302 : 401;
  await checkAnswer(copy, res, { page, status });
}

// Methods a route does not have, HEAD and OPTIONS among them: a 404 or 405 in JSON, or for
// HEAD the GET's answer without a body; never a 5xx.
test("fuzz: methods the routes do not have", async () => {
  const patterns = [...new Set(operations.map((op) => op.route.pattern))];
  const arbitrary = fc.record({
    pattern: fc.constantFrom(...patterns),
    method: fc.constantFrom("HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "POST", "PROPFIND", "get"),
    id: fc.oneof(fc.uuid(), fc.constantFrom(...rows.conversations)),
  });
  await fuzz("odd methods", arbitrary, async ({ pattern, method, id }) => {
    const known = operations.some((op) =>
      op.route.pattern === pattern && op.method === method.toUpperCase()
    );
    const r: FuzzRequest = { method, path: pattern.replace(/:\w+/g, id) };
    const res = await send(app, r);
    // Routes that have the method are fuzzed above; here only the general rules hold.
    await checkAnswer(r, res, { page: true, redirects: true, doc: undefined });
    if (!known && method !== "HEAD" && method !== "get" && res.status < 400) {
      throw new Error(`${method} ${pattern} has no handler but answered ${res.status}`);
    }
  }, RUNS * 4);
});
