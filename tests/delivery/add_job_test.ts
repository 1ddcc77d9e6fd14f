// hatch_add_job (sql/014_quiet_job_queue.sql) and hatch_add_jobs, its list form
// (sql/020_batch_statement_costs.sql), make the job graphile-worker's add_job makes, and NOTIFY
// only when a worker has armed the wake-up: sends add jobs without the notification queue's lock
// while workers are busy.
import assert from "node:assert/strict";
import { listen } from "@/lib/db/listener.ts";
import { ownDatabase, test } from "@/tests/helpers.ts";
import type { Sql } from "@/lib/db/connect.ts";
import { migrate } from "@/lib/db/migrate.ts";

const COLUMNS = [
  "job_queue_id",
  "task_id",
  "priority",
  "run_at",
  "attempts",
  "max_attempts",
  "last_error",
  "key",
  "locked_at",
  "locked_by",
  "revision",
  "flags",
  "is_available",
];

/**
 * Runs `fn` on a migrated database of its own while listening on `jobs:insert`; `heard()` answers
 * every notification's job count once those sent so far have arrived (a fence: notifications
 * arrive in commit order).
 */
async function withJobNotifications(
  name: string,
  fn: (sql: Sql, heard: () => Promise<number[]>) => Promise<void>,
): Promise<void> {
  const { url, sql, drop } = await ownDatabase(name, { max: 2 });
  const payloads: string[] = [];
  try {
    await migrate(sql, url);
    const listener = await listen({
      url,
      channels: { "jobs:insert": (payload) => payloads.push(payload) },
      onListen: () => {},
    });
    const heard = async () => {
      const fence = `fence ${payloads.length}`;
      await sql`select pg_notify('jobs:insert', ${fence})`;
      const deadline = Date.now() + 10_000;
      while (!payloads.includes(fence) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok(payloads.includes(fence), "the fence arrived");
      return payloads.filter((p) => !p.startsWith("fence")).map((p) => JSON.parse(p).count);
    };
    try {
      await fn(sql, heard);
    } finally {
      await listener.stop();
    }
  } finally {
    await drop();
  }
}

test("hatch_add_job makes the row add_job makes, and NOTIFYs only once armed", async () => {
  await withJobNotifications("addjob", async (sql, heard) => {
    const runAt = "2030-01-01T00:00:00Z";
    await sql`select setval('hatch_jobs_wake', 0)`;
    await sql`select graphile_worker.add_job('deliver_message', '{"message_id":"a"}'::json,
      queue_name => 'conv:x', run_at => ${runAt}, max_attempts => 8)`;
    await sql`select hatch_add_job('deliver_message', '{"message_id":"b"}'::json,
      queue_name => 'conv:x', run_at => ${runAt}, max_attempts => 8)`;
    const rows = await sql`
      select to_jsonb(j) as job from graphile_worker._private_jobs j
      where payload ->> 'message_id' in ('a', 'b') order by payload ->> 'message_id'`;
    assert.equal(rows.length, 2);
    const [theirs, ours] = rows.map((r) =>
      Object.fromEntries(COLUMNS.map((c) => [c, (r.job as Record<string, unknown>)[c]]))
    );
    assert.deepEqual(ours, theirs, "the same row but for its payload");

    // add_job notified; ours, unarmed, did not. Armed, the first job notifies and disarms.
    await sql`select setval('hatch_jobs_wake', 1)`;
    await sql`select hatch_add_job('apply_status', '{}'::json)`;
    await sql`select hatch_add_job('apply_status', '{}'::json)`;
    const [{ v }] = await sql<{ v: string }[]>`select last_value as v from hatch_jobs_wake`;
    assert.equal(Number(v), 0);
    assert.deepEqual(await heard(), [1, 1], "add_job's, the first armed hatch_add_job's");
  });
});

test("hatch_add_job makes the task and the queue of their first job, once", async () => {
  const { sql, drop } = await ownDatabase("addjob_first", { max: 4 });
  try {
    const queue = `first:${crypto.randomUUID()}`;
    // Several at once, in transactions of their own: each finds or makes the same task and queue.
    const add = (i: number) =>
      sql`select hatch_add_job('contact_import', ${JSON.stringify({ import_id: `i${i}` })}::json,
        queue_name => ${queue})`;
    await Promise.all([0, 1, 2, 3].map(add));
    const jobs = await sql<{ task: string; queue: string | null }[]>`
      select t.identifier as task, q.queue_name as queue
      from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      left join graphile_worker._private_job_queues q on q.id = j.job_queue_id
      where j.payload ->> 'import_id' like 'i%'`;
    assert.equal(jobs.length, 4);
    for (const j of jobs) assert.deepEqual(j, { task: "contact_import", queue });
    const [counts] = await sql<{ tasks: number; queues: number }[]>`
      select (select count(*)::int from graphile_worker._private_tasks
              where identifier = 'contact_import') as tasks,
             (select count(*)::int from graphile_worker._private_job_queues
              where queue_name = ${queue}) as queues`;
    assert.deepEqual(counts, { tasks: 1, queues: 1 });
  } finally {
    await drop();
  }
});

test("hatch_add_jobs adds a list in its order, the rows add_job makes, with one NOTIFY", async () => {
  await withJobNotifications("addjobs", async (sql, heard) => {
    const runAt = "2030-01-01T00:00:00Z";
    await sql`select setval('hatch_jobs_wake', 0)`;
    await sql`select graphile_worker.add_job('deliver_message', '{"message_id":"a"}'::json,
      queue_name => 'conv:y', run_at => ${runAt}, max_attempts => 8)`;
    await sql`select setval('hatch_jobs_wake', 1)`;
    const [{ added }] = await sql<{ added: number }[]>`
      select hatch_add_jobs('deliver_message',
        array['{"message_id":"c"}', '{"message_id":"b"}', '{"message_id":"d"}']::json[],
        array[${runAt}, ${runAt}, null]::timestamptz[],
        queue_name => 'conv:y', max_attempts => 8) as added`;
    assert.equal(added, 3);
    const rows = await sql<{ m: string; due: boolean; job: Record<string, unknown> }[]>`
      select payload ->> 'message_id' as m, run_at <= now() as due, to_jsonb(j) as job
      from graphile_worker._private_jobs j order by id`;
    assert.deepEqual(rows.map((r) => r.m), ["a", "c", "b", "d"], "in the list's order");
    assert.deepEqual(rows.map((r) => r.due), [false, false, false, true], "null runs now");
    const pick = (r: { job: Record<string, unknown> }, columns: string[]) =>
      Object.fromEntries(columns.map((c) => [c, r.job[c]]));
    const [theirs, ...ours] = rows;
    for (const row of ours.slice(0, 2)) {
      assert.deepEqual(pick(row, COLUMNS), pick(theirs, COLUMNS), "add_job's row");
    }
    // The first jobs of a task and a queue that do not exist yet: both are made.
    const [made] = await sql<{ added: number }[]>`
      select hatch_add_jobs('contact_import', array['{}', '{}']::json[],
        queue_name => 'first:list') as added`;
    assert.equal(made.added, 2);
    const [after] = await sql<{ task: string; queue: string }[]>`
      select t.identifier as task, q.queue_name as queue
      from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      join graphile_worker._private_job_queues q on q.id = j.job_queue_id
      where t.identifier = 'contact_import' limit 1`;
    assert.deepEqual(after, { task: "contact_import", queue: "first:list" });
    const [{ none }] = await sql<{ none: number }[]>`
      select hatch_add_jobs('apply_status', array[]::json[]) +
        hatch_add_jobs('apply_status', null) as none`;
    assert.equal(none, 0, "an empty list adds nothing");
    assert.deepEqual(
      await heard(),
      [1, 3],
      "add_job's, then one for the armed list of three (and none after it disarmed)",
    );
  });
});
