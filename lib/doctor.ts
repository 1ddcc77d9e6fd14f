import type { Settings } from "./config.ts";
import { connect } from "./db/connect.ts";
import { resolveDatabaseUrl } from "./db/database.ts";
import { pendingMigrations } from "./db/migrate.ts";

type Check = { check: string; ok: boolean; detail: string };

function providerChecks(settings: Settings): Check[] {
  const sms = settings.smsProvider === "twilio"
    ? {
      ok: true,
      detail: `Twilio account ${settings.TWILIO_ACCOUNT_SID.slice(0, 6)}…, from ${
        settings.TWILIO_PHONE_NUMBER || settings.TWILIO_MESSAGING_SERVICE_SID
      }`,
    }
    : { ok: true, detail: "sandbox: messages are delivered locally, nothing leaves this machine" };
  const email = settings.emailProvider === "sandbox"
    ? { ok: true, detail: "sandbox: emails are delivered locally" }
    : { ok: true, detail: `${settings.emailProvider}, from ${settings.SENDGRID_FROM_EMAIL}` };
  return [
    { check: "SMS provider", ...sms },
    { check: "Email provider", ...email },
    {
      check: "Public URL",
      ok: settings.smsProvider === "sandbox" || !settings.publicUrl.includes("localhost"),
      detail: settings.smsProvider === "sandbox" || !settings.publicUrl.includes("localhost")
        ? settings.publicUrl
        : `${settings.publicUrl}: Twilio cannot reach localhost; set HATCH_PUBLIC_URL`,
    },
  ];
}

/** Checks settings, database, migrations and providers; prints a table; 0 when all is fine. */
export async function runDoctor(settings: Settings): Promise<number> {
  const checks: Check[] = [{ check: "Settings", ok: true, detail: "valid" }];
  let stop = async () => {};
  try {
    const db = await resolveDatabaseUrl(settings);
    stop = db.stop;
    const sql = connect(db.url, { max: 1 });
    try {
      const [{ version }] = await sql`select current_setting('server_version') as version`;
      checks.push({
        check: "Database",
        ok: true,
        detail: `PostgreSQL ${version}${settings.databaseUrl ? "" : " (embedded)"}`,
      });
      const pending = await pendingMigrations(sql);
      checks.push({
        check: "Migrations",
        ok: pending.length === 0,
        detail: pending.length
          ? `pending: ${pending.join(", ")} (run deno task migrate)`
          : "up to date",
      });
      const [{ n }] = await sql`
        select count(*)::int as n from worker_heartbeats where seen_at > now() - interval '1 minute'`
        .catch(() => [{ n: 0 }]);
      checks.push({ check: "Workers", ok: true, detail: `${n} alive in the last minute` });
    } finally {
      await sql.end();
    }
  } catch (e) {
    checks.push({ check: "Database", ok: false, detail: (e as Error).message });
  } finally {
    await stop();
  }
  checks.push(...providerChecks(settings));
  const width = Math.max(...checks.map((c) => c.check.length));
  for (const c of checks) {
    console.log(`${c.ok ? "ok  " : "FAIL"}  ${c.check.padEnd(width)}  ${c.detail}`);
  }
  return checks.every((c) => c.ok) ? 0 : 1;
}
