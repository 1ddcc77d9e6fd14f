// Nothing accepted is lost when a process dies: not between commit and send, not mid-job.
import assert from "node:assert/strict";
import { connect } from "@/lib/db/connect.ts";
import { startWorker } from "@/lib/delivery/worker.ts";
import { addJob, deliveryJob } from "@/lib/delivery/jobs.ts";
import { sendMessage } from "@/lib/messages/service.ts";
import { startFakeTwilio } from "@/tests/fakes/fake_twilio.ts";
import {
  findJob,
  onTeardown,
  processApiToken,
  randomPhone,
  test,
  testDatabaseUrl,
  testSettings,
  waitForStatus,
  waitUntil,
} from "@/tests/helpers.ts";
import { spawnHatch } from "@/tests/process.ts";

const twilio = startFakeTwilio();
onTeardown(() => twilio.close());
const providerEnv = {
  TWILIO_ACCOUNT_SID: twilio.accountSid,
  TWILIO_AUTH_TOKEN: twilio.authToken,
  TWILIO_PHONE_NUMBER: "+15005550006",
  TWILIO_API_BASE_URL: twilio.url,
  HATCH_WORKER_HEARTBEAT_SECONDS: "1",
};
const sql = connect(testDatabaseUrl(), { max: 3 });
onTeardown(() => sql.end());

function inProcessWorker() {
  return startWorker({ sql, databaseUrl: testDatabaseUrl(), settings: testSettings(providerEnv) });
}

test("the delivery job commits with the message: killing the app right after leaves it queued", async () => {
  const app = await spawnHatch({ env: { ...providerEnv, HATCH_WORKER: "false" } });
  const to = randomPhone();
  const res = await fetch(`${app.url}/api/send_message`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await processApiToken()}`,
    },
    body: JSON.stringify({ to, content: "survives" }),
  });
  const { message_id } = await res.json();
  await app.kill("SIGKILL");
  assert.equal((await findJob(sql, "message_id", message_id))?.task_identifier, "deliver_message");
  const worker = await inProcessWorker();
  try {
    const row = await waitForStatus(sql, "messages", message_id, ["sent", "failed"]);
    assert.equal(row.status, "sent");
  } finally {
    await worker.stop();
  }
});

test("a worker killed mid-job does not strand its message: another worker finishes it", async () => {
  const to = randomPhone();
  // Twilio hangs on this number, so the first worker is killed while it waits for the answer.
  twilio.failFor(to, { status: 503, delayMs: 120_000 });
  const sent = await sendMessage(sql, testSettings(providerEnv), { to, content: "mid-job" });
  const doomed = await spawnHatch({ entry: "cli.ts", args: ["worker"], env: providerEnv });
  await waitUntil(sql, () => Promise.resolve(twilio.requests.some((r) => r.form.get("To") === to)));
  const locked = await findJob(sql, "message_id", sent.message_id);
  assert.ok(locked?.locked_by, "the first worker holds the job");
  await doomed.kill("SIGKILL");
  twilio.clearFailureFor(to);
  const worker = await inProcessWorker();
  try {
    const row = await waitForStatus(sql, "messages", sent.message_id, ["sent", "failed"], 30_000);
    assert.equal(row.status, "sent");
    assert.equal(row.attempts, 2);
  } finally {
    await worker.stop();
  }
});

test("a live worker's heartbeat names the lock its running job carries, so the sweep spares it", async () => {
  const to = randomPhone();
  twilio.failFor(to, { status: 503, delayMs: 120_000 });
  const worker = await startWorker({
    sql,
    databaseUrl: testDatabaseUrl(),
    settings: testSettings({ ...providerEnv, HATCH_STOP_SECONDS: "1" }),
  });
  try {
    const sent = await sendMessage(sql, testSettings(providerEnv), { to, content: "long job" });
    await waitUntil(sql, async () => {
      const [row] = await sql`
        select 1 from graphile_worker._private_jobs j
        join worker_heartbeats h on h.worker_id = j.locked_by
        where j.payload ->> 'message_id' = ${sent.message_id}`;
      return row;
    });
  } finally {
    twilio.clearFailureFor(to);
    await worker.stop();
  }
});

test("a stopped worker leaves no job locked in its name: what its local queue held is handed back", async () => {
  const before = await sql`select worker_id from worker_heartbeats`;
  const worker = await inProcessWorker();
  const poolId = await waitUntil(sql, async () => {
    const rows = await sql`
      select worker_id from worker_heartbeats
      where worker_id <> all(${before.map((r) => r.worker_id as string)}::text[])`;
    return rows[0]?.worker_id as string | undefined;
  });
  // A job fetched into the local queue but not started: locked in the pool's name.
  const id = crypto.randomUUID();
  const held = deliveryJob("message", id, crypto.randomUUID());
  await sql.begin((tx) =>
    addJob(tx, held.task, held.payload, { runAt: new Date(Date.now() + 3_600_000) })
  );
  await sql`
    update graphile_worker._private_jobs set locked_by = ${poolId}, locked_at = now()
    where payload ->> 'message_id' = ${id}`;
  await worker.stop();
  const job = await findJob(sql, "message_id", id);
  assert.ok(job, "the job is still there");
  assert.equal(job.locked_by, null);
});
