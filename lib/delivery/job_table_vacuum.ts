// graphile-worker takes jobs through a partial index in (priority, run_at) order: each job taken
// or finished leaves a dead entry at the index's front, and every fetch walks past all of them
// until VACUUM removes them. Autovacuum visits a database at most once a minute (some servers run
// without it): at 1,000 jobs a second, fetches read ~21,000 index entries each, and PostgreSQL
// spent a quarter more of a core on the same sends (docs/benchmarks.md). So the worker vacuums
// the jobs table itself once enough jobs have finished: a small table, a few milliseconds.
import type { WorkerEvents } from "graphile-worker";
import type { Sql } from "@/lib/db/connect.ts";
import { logger } from "@/lib/log.ts";

const log = logger("worker");

/** How often finished jobs are counted, and how many call for a VACUUM. */
export interface JobTableVacuumOptions {
  everyMs?: number;
  afterJobs?: number;
}

/** Vacuums graphile-worker's jobs table whenever `afterJobs` jobs have finished since the last. */
export function startJobTableVacuum(
  sql: Sql,
  events: WorkerEvents,
  { everyMs = 2_000, afterJobs = 1_000 }: JobTableVacuumOptions = {},
): { stop: () => Promise<void> } {
  let finished = 0;
  const count = () => finished++;
  events.on("job:complete", count);
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    if (finished < afterJobs) return;
    finished = 0;
    // SKIP_LOCKED: another worker process vacuuming it already is as good.
    running = running.then(() => sql`vacuum (skip_locked) graphile_worker._private_jobs`).then(
      () => {},
      (e) => log.debug("Could not vacuum the jobs table: {error}", { error: String(e) }),
    );
  }, everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      events.off("job:complete", count);
      await running;
    },
  };
}
