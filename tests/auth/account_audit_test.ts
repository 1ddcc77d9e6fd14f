// Account changes are audited by the services that make them, in the same transaction: an admin's
// update of a user, turning the second factor on and off, and the second step of a login. A
// refused change leaves no entry, as it leaves no change.
import assert from "node:assert/strict";
import { generateTOTP } from "@oslojs/otp";
import { createUser, findUser, updateUser } from "@/lib/auth/users.ts";
import { disableTotp, enableTotp } from "@/lib/auth/second_factor.ts";
import { checkLoginCode } from "@/lib/auth/login.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { newTotpKey } from "@/lib/auth/totp.ts";
import { verifyPassword } from "@/lib/auth/passwords.ts";
import { startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp();

interface Entry {
  actor_user_id: string | null;
  actor_token_id: string | null;
  actor_label: string;
  target: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

async function entries(action: string, target: string): Promise<Entry[]> {
  const rows = await t.ctx.sql<Entry[]>`
    select actor_user_id, actor_token_id, actor_label, target, ip, detail from audit_log
    where action = ${action} and target = ${target} order by id`;
  return [...rows];
}

async function newUser(role: "admin" | "agent" = "agent") {
  const email = `u-${crypto.randomUUID().slice(0, 8)}@test.example`;
  const password = `correct horse ${crypto.randomUUID().slice(0, 6)}`;
  return { ...await createUser(t.ctx.sql, { email, password, role }), password };
}

function patchUser(id: string, body: unknown): Promise<Response> {
  return Promise.resolve(t.app.request(`/api/users/${id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }));
}

const hex = (k: string) => Uint8Array.from(k.match(/../g)!, (h) => parseInt(h, 16));
const codeFor = (key: string) => generateTOTP(hex(key), 30, 6);
// A code that is right for no key now or a step either side (they are all different from it).
const wrongCodeFor = (key: string) =>
  String((Number(codeFor(key)) + 500_000) % 1_000_000).padStart(6, "0");

test("PATCH /api/users/:id changes role and password in one step, audited once by the admin's token", async () => {
  const u = await newUser();
  const res = await patchUser(u.id, { role: "admin", password: "a brand new secret 7" });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.user.role, "admin");
  const [row] = await t.ctx.sql`select password_hash from users where id = ${u.id}`;
  assert.ok(await verifyPassword("a brand new secret 7", row.password_hash));
  const audited = await entries("user.updated", u.email);
  assert.equal(audited.length, 1);
  assert.equal(audited[0].actor_user_id, t.userId);
  assert.ok(audited[0].actor_token_id, "the token is named");
  assert.match(audited[0].actor_label, /\(token\)$/);
  // The new password itself is never in the log.
  assert.deepEqual(audited[0].detail, { role: "admin", password: "(reset)" });
});

test("a refused user update changes nothing and leaves no entry", async () => {
  const u = await newUser();
  const weak = await patchUser(u.id, { role: "admin", password: "password123" });
  assert.equal(weak.status, 400);
  assert.match((await weak.json()).error, /too common/);
  assert.equal((await findUser(t.ctx.sql, u.id)).role, "agent");
  const self = await patchUser(t.userId, { disabled: true });
  assert.equal(self.status, 400);
  assert.match((await self.json()).error, /cannot disable yourself/);
  const missing = await patchUser(crypto.randomUUID(), { disabled: true });
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  assert.deepEqual(await entries("user.updated", u.email), []);
  const admin = await findUser(t.ctx.sql, t.userId);
  assert.equal(admin.disabled, false);
  assert.deepEqual(await entries("user.updated", admin.email), []);
});

test("updateUser audits wherever it is called from, and disabling ends the user's sessions", async () => {
  const u = await newUser();
  await createSession(t.ctx.sql, { userId: u.id, policy: { idleMinutes: 60, maxDays: 1 } });
  const actor = { label: "tests", ip: "192.0.2.7" };
  const after = await updateUser(t.ctx.sql, { id: u.id, changes: { disabled: true }, actor });
  assert.equal(after.disabled, true);
  const sessions = await t.ctx.sql`select 1 from sessions where user_id = ${u.id}`;
  assert.equal(sessions.length, 0);
  const audited = await entries("user.updated", u.email);
  assert.equal(audited.length, 1);
  assert.equal(audited[0].actor_label, "tests");
  assert.equal(audited[0].ip, "192.0.2.7");
  assert.deepEqual(audited[0].detail, { disabled: true });
});

test("turning the second factor on and off is audited; a wrong code changes nothing", async () => {
  const u = await newUser();
  const actor = { userId: u.id, label: u.email, ip: "192.0.2.8" };
  const key = newTotpKey();
  await assert.rejects(
    enableTotp(t.ctx.sql, { userId: u.id, key, code: wrongCodeFor(key), actor }),
    /Wrong code/,
  );
  assert.equal((await findUser(t.ctx.sql, u.id)).totp_enabled, false);
  assert.deepEqual(await entries("user.totp_enabled", u.email), []);

  await enableTotp(t.ctx.sql, { userId: u.id, key, code: codeFor(key), actor });
  assert.equal((await findUser(t.ctx.sql, u.id)).totp_enabled, true);
  const enabled = await entries("user.totp_enabled", u.email);
  assert.equal(enabled.length, 1);
  assert.equal(enabled[0].actor_user_id, u.id);
  assert.equal(enabled[0].ip, "192.0.2.8");

  await assert.rejects(
    disableTotp(t.ctx.sql, { userId: u.id, code: wrongCodeFor(key), actor }),
    /Wrong code/,
  );
  assert.equal((await findUser(t.ctx.sql, u.id)).totp_enabled, true);
  assert.deepEqual(await entries("user.totp_disabled", u.email), []);

  await disableTotp(t.ctx.sql, { userId: u.id, code: codeFor(key), actor });
  assert.equal((await findUser(t.ctx.sql, u.id)).totp_enabled, false);
  assert.equal((await entries("user.totp_disabled", u.email)).length, 1);
});

test("the second step of a login is audited as a failure, then as a success", async () => {
  const u = await newUser();
  const key = newTotpKey();
  await t.ctx.sql`update users set totp_key = ${key} where id = ${u.id}`;
  const attempt = { userId: u.id, ip: "192.0.2.9" };
  assert.equal(await checkLoginCode(t.ctx.sql, { ...attempt, code: wrongCodeFor(key) }), false);
  const failed = await entries("login.failed", u.email);
  assert.equal(failed.length, 1);
  assert.deepEqual(failed[0].detail, { reason: "wrong code" });
  assert.equal(failed[0].actor_user_id, u.id);
  assert.equal(failed[0].ip, "192.0.2.9");
  assert.equal(await checkLoginCode(t.ctx.sql, { ...attempt, code: codeFor(key) }), true);
  const succeeded = await entries("login.succeeded", u.email);
  assert.equal(succeeded.length, 1);
  assert.deepEqual(succeeded[0].detail, { second_factor: true });
  assert.equal(succeeded[0].actor_label, u.email);
});

test("wrong codes at the second step are throttled like wrong passwords", async () => {
  const u = await newUser();
  const key = newTotpKey();
  await t.ctx.sql`update users set totp_key = ${key} where id = ${u.id}`;
  const attempt = { userId: u.id, ip: "192.0.2.11", code: wrongCodeFor(key) };
  // Three free failures, then a wait before the next attempt, even one with the right code.
  for (let i = 0; i < 3; i++) assert.equal(await checkLoginCode(t.ctx.sql, attempt), false);
  await assert.rejects(
    checkLoginCode(t.ctx.sql, { ...attempt, code: codeFor(key) }),
    /Too many wrong codes: try again in 1 s/,
  );
  assert.equal((await entries("login.throttled", u.email)).length, 1);
  // Once the wait has passed, the right code signs in and clears the account's count.
  await t.ctx.sql`
    update login_throttle set last_failure_at = now() - interval '10 minutes'
    where key = ${`account:${u.email}`} or key = ${`ip:${attempt.ip}`}`;
  assert.equal(await checkLoginCode(t.ctx.sql, { ...attempt, code: codeFor(key) }), true);
  const [left] = await t.ctx.sql`
    select count(*)::int as n from login_throttle where key = ${`account:${u.email}`}`;
  assert.equal(left.n, 0);
});
