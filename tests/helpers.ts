// Shared test helpers: the run's database, settings, and an app driven through app.request().
import { parseSettings, type Settings, type Source } from "@/lib/config.ts";
import { createApp, type Running, startServices } from "@/main.ts";
import type { Hono } from "hono";
import type { AppEnv } from "@/lib/web/define.ts";
import { connect, type Sql, withDatabase } from "@/lib/db/connect.ts";
import { ensureDatabase } from "@/lib/db/embedded.ts";
import { migrate } from "@/lib/db/migrate.ts";
import { listen } from "@/lib/db/listener.ts";
import { createUser } from "@/lib/auth/users.ts";
import { createApiToken } from "@/lib/auth/tokens.ts";
import { startWorker } from "@/lib/delivery/worker.ts";

/** Whether this file used the run's database (a shard's files share it: tests/run.ts). */
let usedRunDatabase = false;

/** The database this test run owns, made and migrated by tests/run.ts. */
export function testDatabaseUrl(): string {
  const url = Deno.env.get("HATCH_TEST_RUN_DATABASE_URL");
  if (!url) throw new Error("Run the tests with `deno task test`: it prepares their database");
  usedRunDatabase = true;
  return url;
}

/** The server's maintenance database, for tests that need a database of their own. */
export function testAdminUrl(): string {
  return Deno.env.get("HATCH_TEST_RUN_ADMIN_URL") ?? testDatabaseUrl();
}

/**
 * A migrated database of the test's own on the run's server (`hatch_test_<name>_<random>`), with
 * a pool of `max`; `drop()` closes the pool and drops it, by itself after the file's tests.
 */
export async function ownDatabase(
  name: string,
  options: { max?: number } = {},
): Promise<{ url: string; sql: Sql; drop: () => Promise<void> }> {
  const database = `hatch_test_${name}_${crypto.randomUUID().slice(0, 8)}`;
  await ensureDatabase(testAdminUrl(), database);
  const url = withDatabase(testAdminUrl(), database);
  const sql = connect(url, { max: options.max ?? 3 });
  let dropped: Promise<void> | undefined;
  const drop = () =>
    dropped ??= (async () => {
      await sql.end({ timeout: 2 });
      const admin = connect(testAdminUrl(), { max: 1 });
      await admin.unsafe(`drop database if exists "${database}" with (force)`).catch(() => {});
      await admin.end();
    })();
  onTeardown(drop);
  await migrate(sql, url);
  return { url, sql, drop };
}

/** Settings for tests: the run's database, no embedded worker, sandbox providers, no delays. */
export function testSettings(overrides: Source = {}): Settings {
  return parseSettings({
    DATABASE_URL: testDatabaseUrl(),
    HATCH_WORKER: "false",
    HATCH_SANDBOX_DELAY_MS: "0",
    HATCH_LOG_LEVEL: "error",
    HATCH_DB_POOL_SIZE: "5",
    ...overrides,
  });
}

/** Anything that answers requests like Hono's `app.request()`. */
export interface Requester {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/** A started Hatch (no HTTP port): `app` sends as a signed-in admin's API token, `raw` as nobody. */
export interface TestApp extends Running {
  app: Requester;
  raw: Hono<AppEnv>;
  token: string;
  userId: string;
}

/** Creates an admin with an API token on the run's database; returns its secret and id. */
export async function createTestAdmin(sql: Sql): Promise<{ token: string; userId: string }> {
  const user = await createUser(sql, {
    email: `admin-${crypto.randomUUID().slice(0, 8)}@test.example`,
    role: "admin",
    password: `pw-${crypto.randomUUID()}`,
  });
  const { token } = await createApiToken(sql, { userId: user.id, name: "tests" });
  return { token, userId: user.id };
}

/** Wraps an app so each request carries `token` unless it names its own Authorization. */
export function withToken(raw: Requester, token: string): Requester {
  return {
    request(input, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
      else if (headers.get("authorization") === "") headers.delete("authorization");
      return raw.request(input, { ...init, headers });
    },
  };
}

/**
 * Starts Hatch's services on the run's database and returns the app. It stops after the file's
 * last test (`onTeardown`) unless a test stops it sooner; `stop()` may be called more than once.
 */
export async function startTestApp(overrides: Source = {}): Promise<TestApp> {
  const running = await startServices(testSettings(overrides));
  let stopped: Promise<void> | undefined;
  const stop = () => stopped ??= running.stop();
  onTeardown(stop);
  const raw = createApp(running.ctx);
  const admin = await createTestAdmin(running.ctx.sql);
  return { ...running, stop, raw, app: withToken(raw, admin.token), ...admin };
}

/**
 * Starts the delivery worker on `t`'s database and settings. It stops after the file's last
 * test unless a test stops it sooner; `stop()` may be called more than once.
 */
export async function startTestWorker(t: TestApp): Promise<{ stop: () => Promise<void> }> {
  const worker = await startWorker({
    sql: t.ctx.sql,
    databaseUrl: t.databaseUrl,
    settings: t.ctx.settings,
  });
  let stopped: Promise<void> | undefined;
  const stop = () => stopped ??= worker.stop();
  onTeardown(stop);
  return { stop };
}

let processToken: Promise<string> | undefined;

/** An admin API token for requests to spawned Hatch processes (one per test file). */
export function processApiToken(): Promise<string> {
  processToken ??= (async () => {
    const sql = connect(testDatabaseUrl(), { max: 1 });
    try {
      return (await createTestAdmin(sql)).token;
    } finally {
      await sql.end();
    }
  })();
  return processToken;
}

/** Deno.test with the sanitizers off: pools and listeners outlive single steps by design. */
export function test(name: string, fn: (t: Deno.TestContext) => Promise<void> | void): void {
  Deno.test({ name, fn, sanitizeOps: false, sanitizeResources: false });
}

const teardowns: (() => unknown)[] = [];
// Hooked as this module loads: Deno ignores an afterAll registered once a test has begun, so a
// step first registered inside a test (an own database, an app) would never run.
Deno.test.afterAll(runTeardowns);

/**
 * Removes the jobs this file left queued in the run's database, once its workers have stopped:
 * the next file's worker would otherwise deliver them first, under its own settings and fakes
 * (sends queued without a worker, a broadcast's texts, webhook deliveries).
 */
async function dropLeftoverJobs(): Promise<void> {
  if (!usedRunDatabase) return;
  const sql = connect(testDatabaseUrl(), { max: 1 });
  try {
    await sql`delete from graphile_worker._private_jobs`;
  } finally {
    await sql.end();
  }
}

/**
 * Runs `step` once this test file's tests are done, passed, failed or filtered out. Steps run
 * last registered first, so register each right after making what it undoes; every step runs
 * even when an earlier one throws, and any error fails the file.
 */
export function onTeardown(step: () => unknown): void {
  teardowns.push(step);
}

async function runTeardowns(): Promise<void> {
  const errors: unknown[] = [];
  for (const step of [...teardowns.splice(0).reverse(), dropLeftoverJobs]) {
    try {
      await step();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, "Teardown steps failed");
}

/** A new temporary directory named `prefix`…, removed with its contents after the file's tests. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  onTeardown(() => Deno.remove(dir, { recursive: true }));
  return dir;
}

/** A fresh, valid US number, unique enough per test. */
export function randomPhone(): string {
  // Contacts own their numbers across the whole run's database: 64 million choices keep
  // tests from ever meeting each other's.
  const [a, b, c] = crypto.getRandomValues(new Uint32Array(3));
  const areas = ["415", "212", "312", "646", "718", "503", "617", "206"];
  const exchange = 200 + (b % 800);
  // N11 exchanges (211, 311 … 911) are service codes, not valid numbers.
  const valid = exchange % 100 === 11 ? exchange + 1 : exchange;
  return `+1${areas[a % areas.length]}${valid}${String(c % 10000).padStart(4, "0")}`;
}

/** A unique email address for a test. */
export function randomEmail(): string {
  return `t${crypto.randomUUID().slice(0, 8)}@example.com`;
}

/** Sends a JSON request to the app. */
export function jsonRequest(
  app: Requester,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  }));
}

/**
 * Resolves with `check()`'s first truthy answer, re-checking whenever the event log moves
 * (LISTEN) and, for changes that make no event, every 250 ms; fails after `timeoutMs`.
 */
export async function waitUntil<T>(
  sql: import("@/lib/db/connect.ts").Sql,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  let wake = () => {};
  const listener = await listen({
    url: sql.url,
    channels: { hatch_events: () => wake() },
    onListen: () => wake(),
  });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const value = await check();
      if (value) return value;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    throw new Error(`Timed out after ${timeoutMs} ms waiting for a condition`);
  } finally {
    await listener.stop();
  }
}

/** Waits for a message or email to reach one of `statuses`; returns its row. */
export function waitForStatus(
  sql: import("@/lib/db/connect.ts").Sql,
  table: "messages" | "emails",
  id: string,
  statuses: string[],
  timeoutMs?: number,
): Promise<Record<string, unknown>> {
  return waitUntil(sql, async () => {
    const [row] = await sql`select * from ${sql(table)} where id = ${id}`;
    return row && statuses.includes(row.status) ? { ...row } : undefined;
  }, timeoutMs);
}

/** The queued job whose payload has `field` = `value`, from graphile-worker's tables. */
export async function findJob(
  sql: import("@/lib/db/connect.ts").Sql,
  field: string,
  value: string,
): Promise<{ task_identifier: string; locked_by: string | null } | undefined> {
  const [job] = await sql`
    select t.identifier as task_identifier, j.locked_by
    from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id
    where j.payload ->> ${field} = ${value}`;
  return job as { task_identifier: string; locked_by: string | null } | undefined;
}
