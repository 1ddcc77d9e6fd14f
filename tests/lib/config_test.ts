import assert from "node:assert/strict";
import { gatherSources, parseDotenv, parseSettings } from "@/lib/config.ts";
import { ConfigError } from "@/lib/errors.ts";
import { test } from "@/tests/helpers.ts";

test("defaults: port 5002, embedded database, sandbox providers", () => {
  const s = parseSettings({});
  assert.equal(s.HATCH_PORT, 5002);
  assert.equal(s.databaseUrl, undefined);
  assert.equal(s.smsProvider, "sandbox");
  assert.equal(s.emailProvider, "sandbox");
  assert.equal(s.publicUrl, "http://localhost:5002");
});

test("the seed's names are accepted", () => {
  const s = parseSettings({
    FLASK_PORT: "6000",
    POSTGRES_HOST: "db",
    POSTGRES_USER: "hatchuser",
    POSTGRES_PASSWORD: "p@ss",
    POSTGRES_DB: "hatchapp",
    TWILIO_ACCOUNT_SID: "AC123",
    TWILIO_AUTH_TOKEN: "tok",
    TWILIO_PHONE_NUMBER: "+15005550006",
  });
  assert.equal(s.HATCH_PORT, 6000);
  assert.equal(s.databaseUrl, "postgres://hatchuser:p%40ss@db:5432/hatchapp");
  assert.equal(s.smsProvider, "twilio");
});

const bad: [string, Record<string, string>, RegExp][] = [
  ["a bad port", { HATCH_PORT: "http" }, /^HATCH_PORT="http" is not valid/],
  ["half-given Twilio", { TWILIO_ACCOUNT_SID: "AC1" }, /TWILIO_AUTH_TOKEN/],
  ["SendGrid without sender", { SENDGRID_API_KEY: "SG.x" }, /SENDGRID_FROM_EMAIL/],
  ["a non-postgres URL", { DATABASE_URL: "mysql://x" }, /DATABASE_URL must start with postgres/],
  ["a hidden secret", { HATCH_LOG_LEVEL: "loud" }, /HATCH_LOG_LEVEL="loud"/],
];
for (const [name, source, message] of bad) {
  test(`a bad setting stops the start with one line naming it: ${name}`, () => {
    assert.throws(() => parseSettings(source), (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, message);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  });
}

test(".env lines: comments, quotes and export", () => {
  assert.deepEqual(parseDotenv('# c\nexport A=1\nB="two words"\nC=x # note\n'), {
    A: "1",
    B: "two words",
    C: "x",
  });
});

test("secrets come from one file per secret, NAME_FILE, and .env, the environment winning", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/secrets`);
  await Deno.writeTextFile(`${dir}/secrets/TWILIO_AUTH_TOKEN`, "from-file\n");
  await Deno.writeTextFile(`${dir}/pg`, "pw-from-file\n");
  await Deno.writeTextFile(
    `${dir}/.env`,
    "TWILIO_ACCOUNT_SID=AC1\nTWILIO_PHONE_NUMBER=+15005550006\nHATCH_PORT=7000\n",
  );
  const source = gatherSources(
    { HATCH_PORT: "7001", POSTGRES_PASSWORD_FILE: `${dir}/pg`, TWILIO_AUTH_TOKEN: "" },
    { dotenv: `${dir}/.env`, secrets: [`${dir}/secrets`] },
  );
  const s = parseSettings(source);
  assert.equal(s.TWILIO_AUTH_TOKEN, "from-file");
  assert.equal(s.POSTGRES_PASSWORD, "pw-from-file");
  assert.equal(s.HATCH_PORT, 7001);
  assert.equal(s.smsProvider, "twilio");
  await Deno.remove(dir, { recursive: true });
});

test("a bad secret is named but its value is never shown", () => {
  assert.throws(
    () => parseSettings({ HATCH_SMS_PROVIDER: "twilio", TWILIO_ACCOUNT_SID: "AC1" }),
    /TWILIO_AUTH_TOKEN/,
  );
});
