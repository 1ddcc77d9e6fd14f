// SIGTERM and SIGINT stop a real Hatch process in order: requests, event streams, the worker, the
// hub, the pool, then the embedded PostgreSQL; it exits 0 and logs no error on the way.
import assert from "node:assert/strict";
import { connect, type Sql } from "@/lib/db/connect.ts";
import { sendMessage } from "@/lib/messages/service.ts";
import { freePort } from "@/lib/net.ts";
import { startFakeTwilio } from "@/tests/fakes/fake_twilio.ts";
import {
  createTestAdmin,
  findJob,
  ownDatabase,
  randomEmail,
  randomPhone,
  test,
  testSettings,
  waitUntil,
} from "@/tests/helpers.ts";
import { type HatchProcess, spawnHatch, sseReader } from "@/tests/process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Sends `signal`; resolves with the exit code, how long the exit took and everything printed. */
async function stopWith(
  hatch: HatchProcess,
  signal: Deno.Signal,
): Promise<{ code: number; ms: number; output: string }> {
  const began = performance.now();
  hatch.child.kill(signal);
  const { code } = await hatch.child.status;
  const ms = performance.now() - began;
  await hatch.outputEnded;
  return { code, ms, output: hatch.stdout() + hatch.stderr() };
}

/** Fails on any ERROR log line, or any other line (Deno's own) that speaks of an error. */
function assertNoErrors(output: string): void {
  for (const line of output.split("\n").filter((l) => l.trim())) {
    let entry: { level?: string } | undefined;
    try {
      entry = JSON.parse(line);
    } catch {
      entry = undefined;
    }
    if (entry) assert.notEqual(entry.level, "ERROR", `An error was logged:\n${output}`);
    else assert.doesNotMatch(line, /\berror\b|uncaught/i, `An error was printed:\n${output}`);
  }
}

/** The pids of processes whose command line names `dir` (the embedded server's, say). */
async function processesUsing(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`).catch(() => "");
    if (cmdline.split("\0").some((arg) => arg.startsWith(dir))) pids.push(Number(entry.name));
  }
  return pids;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

const json = (token: string) => ({
  "content-type": "application/json",
  authorization: `Bearer ${token}`,
});

/** Sends a few messages and emails through the API; answers must all be accepted. */
async function sendSome(url: string, token: string): Promise<void> {
  const answers = await Promise.all([
    ...Array.from({ length: 4 }, () =>
      fetch(`${url}/api/send_message`, {
        method: "POST",
        headers: json(token),
        body: JSON.stringify({ to: randomPhone(), content: "before the stop" }),
      })),
    ...Array.from({ length: 2 }, () =>
      fetch(`${url}/api/send_email`, {
        method: "POST",
        headers: json(token),
        body: JSON.stringify({ to_email: randomEmail(), subject: "Stop", body: "before" }),
      })),
  ]);
  for (const res of answers) {
    await res.body?.cancel();
    assert.ok(res.ok, `a send was refused: ${res.status}`);
  }
}

/** Opens an event stream and waits until it is live; the stop must end it. */
async function openStream(url: string, token: string) {
  const res = await fetch(`${url}/api/events`, { headers: { authorization: `Bearer ${token}` } });
  const sse = sseReader(res.body!);
  await sse.until((f) => f.event === "connected");
  return sse;
}

const sandboxEnv = {
  HATCH_WORKER: "true",
  HATCH_SMS_PROVIDER: "sandbox",
  HATCH_EMAIL_PROVIDER: "sandbox",
  HATCH_SANDBOX_DELAY_MS: "50",
  HATCH_LOG_LEVEL: "info",
  HATCH_LOG_FORMAT: "json",
};

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal} on the embedded PostgreSQL: exits 0 quickly, logs no error, leaves no server`, async () => {
    const dataDir = `${ROOT}.hatch/stop-test-${crypto.randomUUID().slice(0, 8)}`;
    const pgPort = freePort();
    let hatch: HatchProcess | undefined;
    let sql: Sql | undefined;
    try {
      hatch = await spawnHatch({
        env: {
          ...sandboxEnv,
          DATABASE_URL: "",
          HATCH_DATA_DIR: dataDir,
          HATCH_EMBEDDED_PG_PORT: String(pgPort),
          HATCH_ADMIN_EMAIL: "stop-test@example.com",
          HATCH_ADMIN_PASSWORD: `pw-${crypto.randomUUID()}`,
        },
        captureStdout: true,
        captureStderr: true,
      });
      const password = (await Deno.readTextFile(`${dataDir}/pg-password`)).trim();
      sql = connect(`postgres://postgres:${password}@127.0.0.1:${pgPort}/hatch`, { max: 1 });
      const { token } = await createTestAdmin(sql);
      // Our own connection would only be cut by the server's stop: close it first.
      await sql.end();
      sql = undefined;
      const sse = await openStream(hatch.url, token);
      await sendSome(hatch.url, token);

      const { code, ms, output } = await stopWith(hatch, signal);
      assert.equal(code, 0, output);
      assert.ok(ms < 10_000, `the stop took ${Math.round(ms)} ms`);
      assertNoErrors(output);
      await assert.rejects(sse.until(() => false), /ended/);
      assert.equal(await exists(`${dataDir}/pg/postmaster.pid`), false, "postmaster.pid is left");
      assert.deepEqual(await processesUsing(dataDir), [], "a process still uses the data dir");
    } finally {
      await sql?.end();
      await hatch?.kill();
      for (const pid of await processesUsing(dataDir)) Deno.kill(pid, "SIGKILL");
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  });
}

test("SIGTERM on an external database: exits 0, logs no error, leaves no job locked", async () => {
  const db = await ownDatabase("stop");
  try {
    const { token } = await createTestAdmin(db.sql);
    const hatch = await spawnHatch({
      env: { ...sandboxEnv, DATABASE_URL: db.url },
      captureStdout: true,
      captureStderr: true,
    });
    try {
      const sse = await openStream(hatch.url, token);
      await sendSome(hatch.url, token);
      const { code, ms, output } = await stopWith(hatch, "SIGTERM");
      assert.equal(code, 0, output);
      assert.ok(ms < 10_000, `the stop took ${Math.round(ms)} ms`);
      assertNoErrors(output);
      await assert.rejects(sse.until(() => false), /ended/);
      const [locked] = await db.sql`
        select count(*)::int as n from graphile_worker._private_jobs where locked_by is not null`;
      assert.equal(locked.n, 0);
      const [beats] = await db.sql`select count(*)::int as n from worker_heartbeats`;
      assert.equal(beats.n, 0, "the stopped worker's heartbeats are left");
    } finally {
      await hatch.kill();
    }
  } finally {
    await db.drop();
  }
});

test("Ctrl-C under `deno task` (SIGINT twice at once: the terminal's and the runner's) still stops cleanly", async () => {
  const hatch = await spawnHatch({
    env: { ...sandboxEnv },
    captureStdout: true,
    captureStderr: true,
  });
  try {
    const began = performance.now();
    hatch.child.kill("SIGINT");
    // Pending signals merge in the kernel: the runner's copy comes once the first is taken.
    while (!hatch.stdout().includes("Stopping") && performance.now() - began < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    hatch.child.kill("SIGINT");
    const { code } = await hatch.child.status;
    await hatch.outputEnded;
    const output = hatch.stdout() + hatch.stderr();
    assert.equal(code, 0, output);
    assert.ok(performance.now() - began < 10_000);
    assertNoErrors(output);
    assert.doesNotMatch(output, /again: exiting/);
  } finally {
    await hatch.kill();
  }
});

test("a delivery that outlasts HATCH_STOP_SECONDS does not hold the stop: its job is released for a retry", async () => {
  const twilio = startFakeTwilio();
  const to = randomPhone();
  // Twilio hangs on this number: the job is still running when the stop's bound runs out.
  twilio.failFor(to, { status: 503, delayMs: 120_000 });
  const db = await ownDatabase("stop_worker");
  const sql = db.sql;
  try {
    const worker = await spawnHatch({
      entry: "cli.ts",
      args: ["worker"],
      env: {
        ...sandboxEnv,
        HATCH_SMS_PROVIDER: "twilio",
        TWILIO_ACCOUNT_SID: twilio.accountSid,
        TWILIO_AUTH_TOKEN: twilio.authToken,
        TWILIO_PHONE_NUMBER: "+15005550006",
        TWILIO_API_BASE_URL: twilio.url,
        HATCH_STOP_SECONDS: "1",
        DATABASE_URL: db.url,
      },
      captureStdout: true,
      captureStderr: true,
    });
    try {
      const sent = await sendMessage(sql, testSettings(), { to, content: "slow" });
      await waitUntil(
        sql,
        async () => (await findJob(sql, "message_id", sent.message_id))?.locked_by,
      );
      const { code, ms, output } = await stopWith(worker, "SIGTERM");
      assert.equal(code, 0, output);
      assert.ok(ms < 10_000, `the stop took ${Math.round(ms)} ms`);
      assertNoErrors(output);
      assert.equal((await findJob(sql, "message_id", sent.message_id))?.locked_by, null);
    } finally {
      await worker.kill();
    }
  } finally {
    await db.drop();
    await twilio.close();
  }
});
