// Signing in and out with the session cookie, CSRF, timeouts and the second factor.
import assert from "node:assert/strict";
import { generateTOTP } from "@oslojs/otp";
import { createUser } from "@/lib/auth/users.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp();

async function newUser(role: "admin" | "agent" = "agent") {
  const email = `u-${crypto.randomUUID().slice(0, 8)}@test.example`;
  const password = `correct horse ${crypto.randomUUID().slice(0, 6)}`;
  const user = await createUser(t.ctx.sql, { email, password, role });
  return { ...user, password };
}

// Each test signs in from its own address, so the per-IP login throttle of one test never
// slows another.
const ip = `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

function login(fields: Record<string, string>, cookie = ""): Promise<Response> {
  return Promise.resolve(t.raw.request("/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  }, { remoteAddr: { hostname: `${ip}${Math.floor(Math.random() * 1e6)}` } }));
}

function sessionCookie(res: Response): string {
  const set = res.headers.get("set-cookie") ?? "";
  const m = set.match(/hatch_session=([^;]+)/);
  assert.ok(m, `no session cookie in ${set}`);
  return `hatch_session=${m[1]}`;
}

async function csrfOf(cookie: string): Promise<string> {
  const me = await (await t.raw.request("/api/me", { headers: { cookie } })).json();
  assert.ok(me.csrf_token, "a session has a CSRF token");
  return me.csrf_token;
}

test("a good login sets an HttpOnly, SameSite=Lax session cookie and opens the inbox", async () => {
  const u = await newUser();
  const res = await login({ email: u.email, password: u.password, next: "/?c=x" });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/?c=x");
  const set = res.headers.get("set-cookie")!;
  assert.match(set, /HttpOnly/i);
  assert.match(set, /SameSite=Lax/i);
  const cookie = sessionCookie(res);
  const page = await t.raw.request("/", { headers: { cookie } });
  assert.equal(page.status, 200);
  const me = await (await t.raw.request("/api/me", { headers: { cookie } })).json();
  assert.equal(me.user.email, u.email);
});

test("a wrong password is refused in words, and the email is not revealed", async () => {
  const u = await newUser();
  const wrong = await login({ email: u.email, password: "nope nope nope" });
  const nobody = await login({ email: "nobody@test.example", password: "nope nope nope" });
  assert.equal(wrong.status, 401);
  assert.equal(nobody.status, 401);
  assert.match(await wrong.text(), /Wrong email or password/);
  assert.match(await nobody.text(), /Wrong email or password/);
});

test("next= never leads off the site", async () => {
  const u = await newUser();
  const res = await login({ email: u.email, password: u.password, next: "//evil.example/x" });
  assert.equal(res.headers.get("location"), "/");
});

test("a cookie-authenticated POST without the CSRF token is refused; with it, it goes", async () => {
  const u = await newUser();
  const cookie = sessionCookie(await login({ email: u.email, password: u.password }));
  const body = JSON.stringify({ to: "CSRF Friend", content: "hi" });
  const headers = { cookie, "content-type": "application/json" };
  const bare = await t.raw.request("/api/send_message", { method: "POST", headers, body });
  assert.equal(bare.status, 403);
  assert.match((await bare.json()).error, /CSRF/);
  const wrong = await t.raw.request("/api/send_message", {
    method: "POST",
    headers: { ...headers, "x-csrf-token": "guess" },
    body,
  });
  assert.equal(wrong.status, 403);
  const ok = await t.raw.request("/api/send_message", {
    method: "POST",
    headers: { ...headers, "x-csrf-token": await csrfOf(cookie) },
    body,
  });
  assert.equal(ok.status, 202);
});

test("logout ends the session on the server", async () => {
  const u = await newUser();
  const cookie = sessionCookie(await login({ email: u.email, password: u.password }));
  const out = await t.raw.request("/logout", {
    method: "POST",
    headers: { cookie, "x-csrf-token": await csrfOf(cookie) },
  });
  assert.equal(out.status, 303);
  assert.equal((await t.raw.request("/api/me", { headers: { cookie } })).status, 401);
  const page = await t.raw.request("/", { headers: { cookie } });
  assert.equal(page.status, 302);
});

test("idle and absolute timeouts end a session", async () => {
  const u = await newUser();
  const idle = await createSession(t.ctx.sql, {
    userId: u.id,
    policy: { idleMinutes: 720, maxDays: 14 },
  });
  const cookie = `hatch_session=${idle.token}`;
  assert.equal((await t.raw.request("/api/me", { headers: { cookie } })).status, 200);
  await t.ctx
    .sql`update sessions set last_seen_at = now() - interval '13 hours' where user_id = ${u.id}`;
  assert.equal((await t.raw.request("/api/me", { headers: { cookie } })).status, 401);
  const old = await createSession(t.ctx.sql, {
    userId: u.id,
    policy: { idleMinutes: 720, maxDays: 14 },
  });
  await t.ctx.sql`update sessions set expires_at = now() - interval '1 minute'
    where user_id = ${u.id}`;
  assert.equal(
    (await t.raw.request("/api/me", { headers: { cookie: `hatch_session=${old.token}` } })).status,
    401,
  );
});

test("a new session id at every login; disabling a user ends their sessions", async () => {
  const u = await newUser();
  const a = sessionCookie(await login({ email: u.email, password: u.password }));
  const b = sessionCookie(await login({ email: u.email, password: u.password }));
  assert.notEqual(a, b);
  const res = await t.app.request(`/api/users/${u.id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ disabled: true }),
  });
  assert.equal(res.status, 200);
  assert.equal((await t.raw.request("/api/me", { headers: { cookie: a } })).status, 401);
  assert.equal((await login({ email: u.email, password: u.password })).status, 401);
});

test("with a second factor, the password alone is not enough", async () => {
  const u = await newUser();
  const cookie = sessionCookie(await login({ email: u.email, password: u.password }));
  const csrf = await csrfOf(cookie);
  const headers = { cookie, "x-csrf-token": csrf, "content-type": "application/json" };
  const { key } = await (await t.raw.request("/api/me/totp", { method: "POST", headers })).json();
  const hex = (k: string) => Uint8Array.from(k.match(/../g)!, (h) => parseInt(h, 16));
  const bad = await t.raw.request("/api/me/totp", {
    method: "PUT",
    headers,
    body: JSON.stringify({ key, code: "000000" }),
  });
  assert.equal(bad.status, 400);
  const enabled = await t.raw.request("/api/me/totp", {
    method: "PUT",
    headers,
    body: JSON.stringify({ key, code: generateTOTP(hex(key), 30, 6) }),
  });
  assert.equal(enabled.status, 200);
  const step1 = await login({ email: u.email, password: u.password });
  assert.equal(step1.status, 200);
  assert.match(await step1.text(), /authentication code/i);
  const pending = sessionCookie(step1);
  assert.equal((await t.raw.request("/api/me", { headers: { cookie: pending } })).status, 401);
  const wrong = await login({ code: "123456" }, pending);
  assert.equal(wrong.status, 401);
  const step2 = await login({ code: generateTOTP(hex(key), 30, 6) }, pending);
  assert.equal(step2.status, 303);
  const full = sessionCookie(step2);
  assert.equal((await t.raw.request("/api/me", { headers: { cookie: full } })).status, 200);
  assert.equal((await t.raw.request("/api/me", { headers: { cookie: pending } })).status, 401);
});

test("a user changes their own password; the current one is checked, other sessions end", async () => {
  const u = await newUser();
  const here = sessionCookie(await login({ email: u.email, password: u.password }));
  const elsewhere = sessionCookie(await login({ email: u.email, password: u.password }));
  const headers = {
    cookie: here,
    "x-csrf-token": await csrfOf(here),
    "content-type": "application/json",
  };
  const change = (current: string, next: string) =>
    t.raw.request("/api/me/password", {
      method: "PUT",
      headers,
      body: JSON.stringify({ current_password: current, new_password: next }),
    });
  const wrong = await change("not it at all", "a fresh new secret 1");
  assert.equal(wrong.status, 400);
  assert.match((await wrong.json()).error, /Current password is wrong/);
  const weak = await change(u.password, "password123");
  assert.match((await weak.json()).error, /too common/);
  assert.equal((await change(u.password, "a fresh new secret 1")).status, 200);
  assert.equal((await t.raw.request("/api/me", { headers: { cookie: here } })).status, 200);
  assert.equal((await t.raw.request("/api/me", { headers: { cookie: elsewhere } })).status, 401);
  assert.equal((await login({ email: u.email, password: "a fresh new secret 1" })).status, 303);
});

test("agents cannot use admin routes", async () => {
  const u = await newUser("agent");
  const cookie = sessionCookie(await login({ email: u.email, password: u.password }));
  const res = await t.raw.request("/api/users", { headers: { cookie } });
  assert.equal(res.status, 403);
  assert.match((await res.json()).error, /Only admins/);
});
