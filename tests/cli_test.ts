// The operator command, run as a user would.
import assert from "node:assert/strict";
import { randomPhone, test, testDatabaseUrl } from "./helpers.ts";

async function hatch(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", ...args],
    cwd: new URL("../", import.meta.url).pathname,
    env: { DATABASE_URL: testDatabaseUrl(), HATCH_LOG_LEVEL: "error" },
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, out: decode(out.stdout), err: decode(out.stderr) };
}

test("doctor prints a table of what is fine", async () => {
  const r = await hatch("doctor");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^ok\s+Database\s+PostgreSQL \d+/m);
  assert.match(r.out, /^ok\s+Migrations\s+up to date/m);
  assert.match(r.out, /^ok\s+SMS provider\s+sandbox/m);
});

test("send-sms queues a message; a bad number is refused in words", async () => {
  const ok = await hatch("send-sms", randomPhone(), "hello", "there");
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^Queued message [0-9a-f-]{36} \(queued\)/);
  const bad = await hatch("send-sms", "+1415", "hello");
  assert.equal(bad.code, 1);
  assert.match(bad.err, /Cannot send SMS to "\+1415": not a valid phone number/);
  // Read as the inbox reads it: a typo is refused in words, not sent as a chat to a name.
  const typo = await hatch("send-sms", "4155550100x", "hello");
  assert.equal(typo.code, 1);
  assert.match(typo.err, /"4155550100x": not a valid phone number \(a phone number has no letters/);
});

test("send-email queues an email; migrate reports an up-to-date database", async () => {
  const ok = await hatch("send-email", "someone@example.com", "Hi", "Body", "text");
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^Queued email /);
  const m = await hatch("migrate");
  assert.equal(m.code, 0, m.err);
  assert.match(m.out, /up to date/);
});

test("an unknown command shows the help", async () => {
  const r = await hatch("frobnicate");
  assert.equal(r.code, 2);
  assert.match(r.err, /Unknown command "frobnicate"/);
});

test("user create takes --admin before or after the email, and refuses a non-address", async () => {
  const first = `ops-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const before = await hatch("user", "create", "--admin", first);
  assert.equal(before.code, 0, before.err);
  assert.match(before.out, new RegExp(`^Created admin ${first}`));
  const second = `agent-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const after = await hatch("user", "create", second, "--name", "Ana");
  assert.equal(after.code, 0, after.err);
  assert.match(after.out, new RegExp(`^Created agent ${second}`));
  const bad = await hatch("user", "create", "not-an-address");
  assert.equal(bad.code, 1);
  assert.match(bad.err, /Cannot create user "not-an-address": not an email address/);
  const unknown = await hatch("user", "create", second, "--admn");
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /Unknown option '--admn'/);
});
