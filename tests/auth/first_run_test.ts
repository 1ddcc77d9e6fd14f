// The first run stays one command: an admin appears and can sign in; the CLI manages accounts.
import assert from "node:assert/strict";
import { ensureFirstAdmin } from "@/lib/auth/first_run.ts";
import { checkLogin } from "@/lib/auth/login.ts";
import { ownDatabase, test, testSettings } from "@/tests/helpers.ts";

test("the embedded setup creates an admin and prints its password once, and it signs in", async () => {
  const db = await ownDatabase("first", { max: 2 });
  try {
    const lines: string[] = [];
    // No DATABASE_URL means the embedded database, where the password is printed.
    const settings = { ...testSettings(), databaseUrl: undefined };
    await ensureFirstAdmin(db.sql, settings, (l) => lines.push(l));
    const text = lines.join("\n");
    const password = text.match(/password: (\S+)/)?.[1];
    assert.ok(password, text);
    assert.match(text, /email:\s+admin@hatch\.local/);
    const ok = await checkLogin(db.sql, { email: "admin@hatch.local", password, ip: "127.0.0.1" });
    assert.equal(ok.ok, true);
    lines.length = 0;
    await ensureFirstAdmin(db.sql, settings, (l) => lines.push(l));
    assert.deepEqual(lines, [], "printed once: not again when a user exists");
  } finally {
    await db.drop();
  }
});

test("replicas starting together make one admin and print its password once", async () => {
  const db = await ownDatabase("first", { max: 6 });
  try {
    const settings = testSettings({ HATCH_ADMIN_EMAIL: "together@example.com" });
    const lines: string[] = [];
    await Promise.all(
      Array.from({ length: 4 }, () => ensureFirstAdmin(db.sql, settings, (l) => lines.push(l))),
    );
    assert.equal(lines.filter((l) => l.includes("password:")).length, 1, lines.join("\n"));
    const [{ n }] = await db.sql`select count(*)::int as n from users`;
    assert.equal(n, 1);
  } finally {
    await db.drop();
  }
});

test("a configured setup uses HATCH_ADMIN_EMAIL and the password from its secret", async () => {
  const db = await ownDatabase("first", { max: 2 });
  try {
    const settings = testSettings({
      HATCH_ADMIN_EMAIL: "boss@example.com",
      HATCH_ADMIN_PASSWORD: "a long secret from a file",
    });
    const lines: string[] = [];
    await ensureFirstAdmin(db.sql, settings, (l) => lines.push(l));
    assert.deepEqual(lines, [], "a configured password is never printed");
    const ok = await checkLogin(db.sql, {
      email: "boss@example.com",
      password: "a long secret from a file",
      ip: "127.0.0.1",
    });
    assert.equal(ok.ok, true);
  } finally {
    await db.drop();
  }
});

async function hatch(url: string, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", ...args],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { DATABASE_URL: url, HATCH_LOG_LEVEL: "error" },
  }).output();
  const d = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, out: d(out.stdout), err: d(out.stderr) };
}

test("the user and token commands: create, list, disable, reset-password, token create/revoke", async () => {
  const db = await ownDatabase("first", { max: 2 });
  try {
    const created = await hatch(db.url, "user", "create", "ops@example.com", "--admin");
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /Created admin ops@example.com\nPassword \(shown once\): \S{20}/);
    const list = await hatch(db.url, "user", "list");
    assert.match(list.out, /ops@example.com\s+admin/);
    const reset = await hatch(
      db.url,
      "user",
      "reset-password",
      "ops@example.com",
      "--password",
      "brand new secret 9",
    );
    assert.equal(reset.code, 0, reset.err);
    assert.equal(
      (await checkLogin(db.sql, {
        email: "ops@example.com",
        password: "brand new secret 9",
        ip: "x",
      })).ok,
      true,
    );
    const token = await hatch(db.url, "token", "create", "ops@example.com", "ci");
    assert.match(token.out, /hatch_\S+/);
    const id = token.out.match(/Token ([0-9a-f-]{36})/)![1];
    assert.equal((await hatch(db.url, "token", "revoke", id)).code, 0);
    const disabled = await hatch(db.url, "user", "disable", "ops@example.com");
    assert.equal(disabled.code, 0);
    assert.match((await hatch(db.url, "user", "list")).out, /ops@example.com\s+admin, disabled/);
    const weak = await hatch(
      db.url,
      "user",
      "create",
      "weak@example.com",
      "--password",
      "123456789",
    );
    assert.equal(weak.code, 1);
    assert.match(weak.err, /too common/);
    const [{ n }] = await db.sql`
      select count(*)::int as n from audit_log where actor_label = 'operator (cli)'`;
    assert.equal(n, 5);
  } finally {
    await db.drop();
  }
});
