// Abuse limits: login throttling, send rate limits, body caps; and browser hardening headers.
import assert from "node:assert/strict";
import { createUser } from "@/lib/auth/users.ts";
import { createTestAdmin, jsonRequest, startTestApp, test, withToken } from "@/tests/helpers.ts";

const t = await startTestApp({ HATCH_SEND_RATE_PER_MINUTE: "12" });

function login(email: string, password: string, ip: string): Promise<Response> {
  return Promise.resolve(t.raw.request("/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }).toString(),
  }, { remoteAddr: { hostname: ip } }));
}

// Time passing, without waiting for it: move the last failure back by the delay it asked for.
async function letDelayPass(keys: string[]): Promise<void> {
  await t.ctx.sql`
    update login_throttle set last_failure_at = now() - interval '10 minutes'
    where key = any(${keys}) and locked_until is null`;
}

test("ten wrong passwords in a row slow down, then block the account and the IP; the audit log shows them", async () => {
  const email = `victim-${crypto.randomUUID().slice(0, 6)}@test.example`;
  const password = "the right password 1";
  await createUser(t.ctx.sql, { email, password, role: "agent" });
  const ip = "192.0.2.10";
  const keys = [`ip:${ip}`, `account:${email}`];
  const statuses: number[] = [];
  const waits: number[] = [];
  for (let i = 0; i < 10; i++) {
    let res = await login(email, "wrong password!", ip);
    if (res.status === 429) {
      waits.push(Number(res.headers.get("retry-after")));
      await letDelayPass(keys);
      res = await login(email, "wrong password!", ip);
    }
    statuses.push(res.status);
  }
  assert.deepEqual(statuses, Array(10).fill(401));
  // No delay for the first three failures, then 1, 2, 4… seconds.
  assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, 64]);
  const locked = await login(email, password, ip);
  assert.equal(locked.status, 429, "even the right password waits while locked");
  const wait = Number(locked.headers.get("retry-after"));
  assert.ok(wait > 800 && wait <= 900, `locked for about 15 minutes, got ${wait} s`);
  const otherIp = await login(email, password, "192.0.2.99");
  assert.equal(otherIp.status, 429, "the account is locked from any address");
  const audit = await (await t.app.request("/api/audit?action=login.failed&limit=50")).json();
  const mine = audit.entries.filter((e: { target: string }) => e.target === email);
  assert.equal(mine.length, 10);
  assert.equal(mine[0].ip, ip);
  const throttled = await (await t.app.request("/api/audit?action=login.throttled&limit=50"))
    .json();
  assert.ok(throttled.entries.some((e: { target: string }) => e.target === email));
});

test("sends are limited per token: a 429 with Retry-After", async () => {
  const other = withToken(t.raw, (await createTestAdmin(t.ctx.sql)).token);
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await jsonRequest(other, "/api/send_message", {
      to: "Rate Friend",
      content: `${i}`,
    });
    statuses.push(res.status);
    if (res.status === 429) {
      assert.match(res.headers.get("retry-after") ?? "", /^\d+$/);
      assert.match((await res.json()).error, /Too many sends: the limit is 12 a minute/);
    }
  }
  assert.deepEqual(statuses, [202, 202, 429, 429]);
  // Another token has its own bucket.
  const fresh = withToken(t.raw, (await createTestAdmin(t.ctx.sql)).token);
  assert.equal(
    (await jsonRequest(fresh, "/api/send_message", { to: "Rate Friend", content: "x" })).status,
    202,
  );
});

test("request bodies are capped with a 413", async () => {
  const res = await jsonRequest(t.app, "/api/contacts", { name: "x".repeat(2_100_000) });
  assert.equal(res.status, 413);
  assert.equal((await res.json()).success, false);
});

test("page sizes are capped", async () => {
  const res = await t.app.request("/api/conversations?limit=5000");
  assert.equal(res.status, 400);
});

test("pages carry CSP without inline script, frame-ancestors none, nosniff and a referrer policy", async () => {
  const res = await t.raw.request("/login");
  const csp = res.headers.get("content-security-policy") ?? "";
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("referrer-policy"), "same-origin");
  assert.doesNotMatch(await res.text(), /<script(?![^>]*\bsrc=)[^>]*>/, "no inline script");
});

test("every kind of answer carries the hardening headers and a request id: JSON, page, redirect, stream, 404", async () => {
  const stream = new AbortController();
  const answers: [string, Response][] = [
    ["JSON", await t.app.request("/api/conversations?limit=1")],
    ["page", await t.raw.request("/login")],
    ["redirect", await t.raw.request("/")],
    ["stream", await t.app.request("/api/events", { signal: stream.signal })],
    ["404", await t.raw.request("/no/such/path")],
  ];
  stream.abort();
  for (const [kind, res] of answers) {
    await res.body?.cancel();
    assert.match(res.headers.get("x-request-id") ?? "", /^[\w-]{8,}$/, `${kind}: request id`);
    assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/, kind);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", kind);
    assert.equal(res.headers.get("x-frame-options"), "DENY", kind);
  }
  assert.deepEqual(answers.map(([, res]) => res.status), [200, 200, 302, 200, 404]);
});

test("CORS is closed by default, and writes from a foreign origin are refused", async () => {
  const pre = await t.raw.request("/api/conversations", {
    method: "OPTIONS",
    headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
  });
  assert.equal(pre.headers.get("access-control-allow-origin"), null);
  const res = await jsonRequest(t.app, "/api/send_message", { to: "X", content: "y" }, {
    origin: "https://evil.example",
  });
  assert.equal(res.status, 403);
  assert.match((await res.json()).error, /origin "https:\/\/evil.example" are not allowed/);
});

test("idempotency keys are scoped to the token that used them", async () => {
  const key = crypto.randomUUID();
  const a = withToken(t.raw, (await createTestAdmin(t.ctx.sql)).token);
  const b = withToken(t.raw, (await createTestAdmin(t.ctx.sql)).token);
  const ra = await (await jsonRequest(a, "/api/send_message", { to: "Scope A", content: "a" }, {
    "idempotency-key": key,
  })).json();
  const rb = await (await jsonRequest(b, "/api/send_message", { to: "Scope B", content: "b" }, {
    "idempotency-key": key,
  })).json();
  assert.notEqual(ra.message_id, rb.message_id);
});

test("weak passwords are refused in words", async () => {
  for (
    const [password, error] of [["short", /too short/], ["password123", /too common/]] as const
  ) {
    const res = await jsonRequest(t.app, "/api/users", {
      email: `weak-${crypto.randomUUID().slice(0, 6)}@test.example`,
      password,
    });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error, error);
  }
});
