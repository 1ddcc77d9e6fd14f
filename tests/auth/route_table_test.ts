// Every route is closed unless it says it is open: this walks the app's own route table, so a
// new route cannot slip through without a credential check.
import assert from "node:assert/strict";
import { manifest } from "@/routes.gen.ts";
import { routeTable } from "@/lib/web/router.tsx";
import { createApiToken, revokeApiToken } from "@/lib/auth/tokens.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp();
const OPEN = new Set([
  "/health",
  "/ready",
  // Guarded by its own bearer token (HATCH_METRICS_TOKEN), and absent without one.
  "/metrics",
  "/login",
  "/logout",
  "/openapi.json",
  "/docs",
  "/webhooks/twilio/sms",
  "/webhooks/twilio/status",
  "/webhooks/sendgrid/events",
  "/webhooks/sendgrid/inbound",
]);

function concrete(pattern: string): string {
  return pattern.replace(/:(\w+)/g, "00000000-0000-4000-8000-000000000000");
}

const closed = routeTable(manifest).filter((r) => !r.module.open);

test("only the named routes are open", () => {
  const open = routeTable(manifest).filter((r) => r.module.open).map((r) => r.pattern);
  for (const p of open) assert.ok(OPEN.has(p), `${p} is open but not on the list of open routes`);
  assert.ok(closed.length >= 20, `expected the API's routes to be closed, found ${closed.length}`);
});

async function refusedWith(headers: Record<string, string>, why: string): Promise<void> {
  for (const route of closed) {
    for (const method of route.methods) {
      const res = await t.raw.request(concrete(route.pattern), {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: method === "GET" ? undefined : "{}",
      });
      const where = `${method} ${route.pattern} (${why})`;
      if (route.module.default && method === "GET") {
        assert.equal(res.status, 302, where);
        assert.match(res.headers.get("location") ?? "", /^\/login\?next=/, where);
      } else {
        assert.equal(res.status, 401, where);
        assert.match((await res.json()).error, /Sign in first/, where);
      }
    }
  }
}

test("every closed route refuses a request without a credential", async () => {
  await refusedWith({}, "no credential");
});

test("every closed route refuses a bad bearer token", async () => {
  await refusedWith({ authorization: "Bearer hatch_not-a-real-token" }, "bad token");
  await refusedWith({ authorization: "Basic YWRtaW46YWRtaW4=" }, "not a bearer");
});

test("every closed route refuses a revoked token", async () => {
  const { token, apiToken } = await createApiToken(t.ctx.sql, {
    userId: t.userId,
    name: "soon revoked",
  });
  assert.equal(
    (await t.raw.request("/api/me", { headers: { authorization: `Bearer ${token}` } })).status,
    200,
  );
  await revokeApiToken(t.ctx.sql, apiToken.id);
  await refusedWith({ authorization: `Bearer ${token}` }, "revoked token");
});

test("every closed route refuses an expired token and an expired session", async () => {
  const { token } = await createApiToken(t.ctx.sql, {
    userId: t.userId,
    name: "expired",
    expiresAt: new Date(Date.now() - 1000),
  });
  await refusedWith({ authorization: `Bearer ${token}` }, "expired token");
  const session = await createSession(t.ctx.sql, {
    userId: t.userId,
    policy: { idleMinutes: 60, maxDays: 1 },
  });
  await t.ctx.sql`update sessions set expires_at = now() - interval '1 second'
    where user_id = ${t.userId}`;
  await refusedWith({ cookie: `hatch_session=${session.token}` }, "expired session");
});
