// `deno task test`: gives this run its own migrated database (on HATCH_TEST_DATABASE_URL's
// server, or on an embedded one), runs the unit and API tests, then the browser tests.
import { connect, withDatabase } from "@/lib/db/connect.ts";
import { ensureDatabase, startEmbedded } from "@/lib/db/embedded.ts";
import { migrate } from "@/lib/db/migrate.ts";
import { ensureChromium } from "./e2e/chromium.ts";
import { bundleIslands } from "@/lib/web/bundle.ts";
import { freePort } from "@/lib/net.ts";

// How many unit test processes a full run starts side by side (checked before anything starts).
const shardSetting = Deno.env.get("HATCH_TEST_SHARDS") ?? "2";
const shards = Number(shardSetting);
if (!Number.isInteger(shards) || shards < 1) {
  console.error(`HATCH_TEST_SHARDS must be a whole number of 1 or more, not "${shardSetting}"`);
  Deno.exit(2);
}

const configured = Deno.env.get("HATCH_TEST_DATABASE_URL");
const embedded = configured ? undefined : await startEmbedded({
  dataDir: ".hatch/test",
  port: freePort(),
  quiet: true,
});
const adminUrl = configured ?? embedded!.url("postgres");
const stamp = `${Date.now()}_${crypto.randomUUID().slice(0, 6)}`;
const databases: string[] = [];

/** A new, migrated database of this run's, dropped at the end. */
async function freshDatabase(name: string): Promise<string> {
  await ensureDatabase(adminUrl, name);
  databases.push(name);
  const url = withDatabase(adminUrl, name);
  const sql = connect(url, { max: 1 });
  await migrate(sql, url);
  await sql.end();
  return url;
}

const runUrl = await freshDatabase(`hatch_test_${stamp}`);
console.log(`Test database: hatch_test_${stamp}${embedded ? " (embedded server)" : ""}`);

// The islands' bundles are build output (not in git): the browser tests need them fresh.
await bundleIslands();

const env = { HATCH_TEST_RUN_DATABASE_URL: runUrl, HATCH_TEST_RUN_ADMIN_URL: adminUrl };
// Paths under tests/e2e pick browser tests, other paths unit tests; none runs everything.
const isBrowserTest = (path: string) => /(^|\/)tests\/e2e(\/|$)/.test(path);
const unitFilters = Deno.args.filter((a) => !isBrowserTest(a));
const browserFilters = Deno.args.filter(isBrowserTest);
const everything = Deno.args.length === 0;
let code = 0;
if (unitFilters.length) {
  code = await denoTest(["--ignore=tests/e2e", ...unitFilters], env);
} else if (everything) {
  // The whole unit suite in shards side by side, each on a database of its own so that no file
  // sees another's rows, jobs or events (within a shard, files run one after another as ever).
  const files = unitTestFiles();
  const runs = await Promise.all(
    Array.from({ length: shards }, async (_, i) => {
      const url = i === 0 ? runUrl : await freshDatabase(`hatch_test_${stamp}_${i + 1}`);
      return await denoTest(
        files.filter((_, n) => n % shards === i),
        { ...env, HATCH_TEST_RUN_DATABASE_URL: url },
        shards > 1 ? `[unit ${i + 1}/${shards}] ` : undefined,
      );
    }),
  );
  code = runs.find((c) => c !== 0) ?? 0;
}

/**
 * Runs `deno test` on `paths` and answers its exit code; with `label`, each line of its output is
 * marked with it (for runs side by side).
 */
async function denoTest(
  paths: string[],
  env: Record<string, string>,
  label?: string,
): Promise<number> {
  const output = label ? "piped" : "inherit";
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check", ...paths],
    env,
    stdout: output,
    stderr: output,
  }).spawn();
  if (label) {
    await Promise.all([prefixLines(child.stdout, label), prefixLines(child.stderr, label)]);
  }
  return (await child.status).code;
}

/** The unit test files `deno test` would find, e2e left out, in a stable order. */
function unitTestFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory && path !== "tests/e2e") walk(path);
      else if (entry.isFile && /_test\.tsx?$/.test(entry.name)) found.push(path);
    }
  };
  walk("tests");
  return found.sort();
}

/** Copies a child's output to ours line by line, each line marked with the shard it came from. */
async function prefixLines(stream: ReadableStream<Uint8Array>, label: string): Promise<void> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let rest = "";
  for await (const chunk of stream) {
    const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
    rest = lines.pop()!;
    if (lines.length) {
      await Deno.stdout.write(encoder.encode(lines.map((l) => label + l + "\n").join("")));
    }
  }
  if (rest) await Deno.stdout.write(encoder.encode(label + rest + "\n"));
}

const browser = everything ? Deno.env.get("HATCH_SKIP_BROWSER") !== "1" : browserFilters.length > 0;
if (code === 0 && browser) {
  const chromium = await ensureChromium();
  // A database of their own: the jobs the API tests queued (and never delivered) would otherwise
  // stand in front of the browser tests' sends in the embedded workers' queue.
  const e2eUrl = await freshDatabase(`hatch_test_${stamp}_e2e`);
  code = await denoTest(everything ? ["tests/e2e"] : browserFilters, {
    ...env,
    HATCH_TEST_RUN_DATABASE_URL: e2eUrl,
    HATCH_CHROMIUM: chromium,
  });
}

const admin = connect(adminUrl, { max: 1 });
for (const name of databases) {
  await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
}
await admin.end();
await embedded?.stop();
Deno.exit(code);
