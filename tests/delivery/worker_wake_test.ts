// The worker is woken for every job without a NOTIFY per send (sql/014_quiet_job_queue.sql):
// a job added after a fetch that came back short, as well as after an empty one, is found
// long before the worker's poll. The poll here is a minute, so only the wake-up can deliver
// within the test's deadline.
import assert from "node:assert/strict";
import {
  jsonRequest,
  randomPhone,
  startTestApp,
  startTestWorker,
  test,
  waitForStatus,
  waitUntil,
} from "@/tests/helpers.ts";

const t = await startTestApp({ HATCH_WORKER_POLL_MS: "60000" });
await startTestWorker(t);
// The worker's first fetch is at its start; a NOTIFY before it listens would be missed.
await waitUntil(t.ctx.sql, async () => {
  const [row] = await t.ctx.sql`
    select 1 from pg_stat_activity
    where datname = current_database() and query like 'LISTEN "jobs:insert"%'`;
  return row;
});

async function send(): Promise<string> {
  const res = await jsonRequest(t.app, "/api/send_message", { to: randomPhone(), content: "hi" });
  assert.equal(res.status, 202);
  return (await res.json()).message_id;
}

const sent = (id: string) =>
  waitForStatus(t.ctx.sql, "messages", id, ["sent", "delivered"], 10_000);

test("a text sent after the worker took a few jobs goes out without waiting for its poll", async () => {
  // The first send wakes the idle worker, whose fetch finds it alone: short of a full local
  // queue but not empty. The second is added after that fetch.
  await sent(await send());
  await sent(await send());
  // A few at once, then one more after they went out: each round starts from a short fetch.
  const burst = await Promise.all([send(), send(), send()]);
  for (const id of burst) await sent(id);
  const last = await sent(await send());
  assert.equal(last.attempts, 1);
});
