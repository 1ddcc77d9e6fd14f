// The worker vacuums graphile-worker's jobs table once enough jobs have finished, so that job
// fetches stop walking the dead entries finished jobs leave in its index.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { WorkerEvents } from "graphile-worker";
import { migrate } from "@/lib/db/migrate.ts";
import { startJobTableVacuum } from "@/lib/delivery/job_table_vacuum.ts";
import { ownDatabase, test, waitUntil } from "@/tests/helpers.ts";

test("enough finished jobs vacuum the jobs table, which takes the dead rows away", async () => {
  const { url, sql, drop } = await ownDatabase("job_vacuum");
  try {
    await migrate(sql, url);
    // Jobs added and finished, as a worker does: dead rows left behind in the table.
    await sql`select hatch_add_job('apply_status', '{}'::json) from generate_series(1, 200)`;
    await sql`delete from graphile_worker._private_jobs`;
    const stats = async () => {
      const [row] = await sql<{ vacuums: string; dead: string }[]>`
        select vacuum_count::text as vacuums, n_dead_tup::text as dead from pg_stat_user_tables
        where schemaname = 'graphile_worker' and relname = '_private_jobs'`;
      return { vacuums: Number(row.vacuums), dead: Number(row.dead) };
    };
    const before = (await stats()).vacuums;
    const events = new EventEmitter() as WorkerEvents;
    const vacuum = startJobTableVacuum(sql, events, { everyMs: 20, afterJobs: 3 });
    try {
      for (let i = 0; i < 3; i++) events.emit("job:complete", {} as never);
      const after = await waitUntil(sql, async () => {
        const now = await stats();
        return now.vacuums > before ? now : undefined;
      });
      assert.equal(after.dead, 0, "no dead row left for a fetch to step over");
    } finally {
      await vacuum.stop();
    }
  } finally {
    await drop();
  }
});
