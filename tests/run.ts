// `deno task test`: gives this run its own migrated database (on HATCH_TEST_DATABASE_URL's
// server, or on an embedded one), runs the unit and API tests, then the browser tests.
import { connect } from "../lib/db/connect.ts";
import { ensureDatabase, startEmbedded } from "../lib/db/embedded.ts";
import { migrate } from "../lib/db/migrate.ts";
import { ensureChromium } from "./e2e/chromium.ts";
import { bundleIslands } from "../lib/web/bundle.ts";

function freePort(): number {
  const l = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const configured = Deno.env.get("HATCH_TEST_DATABASE_URL");
const embedded = configured ? undefined : await startEmbedded({
  dataDir: ".hatch/test",
  port: freePort(),
  quiet: true,
});
const adminUrl = configured ?? embedded!.url("postgres");
const database = `hatch_test_${Date.now()}_${crypto.randomUUID().slice(0, 6)}`;
await ensureDatabase(adminUrl, database);
const runUrl = withDatabase(adminUrl, database);
const sql = connect(runUrl, { max: 1 });
await migrate(sql, runUrl);
await sql.end();
console.log(`Test database: ${database}${embedded ? " (embedded server)" : ""}`);

// The islands' bundles are build output (not in git): the browser tests need them fresh.
await bundleIslands();

const env = { HATCH_TEST_RUN_DATABASE_URL: runUrl, HATCH_TEST_RUN_ADMIN_URL: adminUrl };
const filters = Deno.args;
let code = 0;
const unit = new Deno.Command(Deno.execPath(), {
  args: ["test", "-A", "--no-check", "--ignore=tests/e2e", ...filters],
  env,
}).spawn();
code = (await unit.status).code;

if (code === 0 && !filters.length && Deno.env.get("HATCH_SKIP_BROWSER") !== "1") {
  const chromium = await ensureChromium();
  const e2e = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check", "tests/e2e"],
    env: { ...env, HATCH_CHROMIUM: chromium },
  }).spawn();
  code = (await e2e.status).code;
}

const admin = connect(adminUrl, { max: 1 });
await admin.unsafe(`drop database if exists "${database}" with (force)`).catch(() => {});
await admin.end();
await embedded?.stop();
Deno.exit(code);
