import { EventEmitter } from "node:events";
import {
  Logger,
  makeWorkerUtils,
  run,
  type Runner,
  type WorkerEvents,
  type WorkerPool,
} from "graphile-worker";
// @ts-types="@types/pg"
import pg from "pg";
import { connect, type Sql } from "@/lib/db/connect.ts";
import { poolOptions } from "@/lib/db/database.ts";
import type { Settings } from "@/lib/config.ts";
import { logger } from "@/lib/log.ts";
import { settlesWithin } from "@/lib/stop.ts";
import { type DeliveryDeps, deliveryTasks, providersFor } from "./tasks.ts";
import { startWakeTimer } from "./wake.ts";
import { startJobTableVacuum } from "./job_table_vacuum.ts";
import { startWebhookFanout } from "@/lib/webhooks/fanout.ts";

const log = logger("worker");

/**
 * How soon a worker whose fetch came back short fetches again (see `refetchSoon`): the longest a
 * job added meanwhile waits. The sooner, the smaller the batches of outcomes and the more commits
 * per message: in the realtime bench's default run (30 s), fetching again after 25 ms held 756–832
 * sends a second (1.43–1.46 commits per message), after 100 ms 1,068–1,173 (1.23–1.26), the
 * backlog about 100 messages either way; waiting for the next poll instead (the old way, 60 s
 * runs), 1,079–1,123 with 750–1,900 messages waiting (docs/benchmarks.md).
 */
const REFETCH_MS = 100;

// graphile-worker's own messages go to LogTape under hatch.worker. Once the stop has begun, its
// errors are warnings: failing the jobs that outran the stop is expected, and releasing a full
// local queue under load fails in 0.18 ("Cannot background something when the queue is already
// released"), after which `releaseHeld` unlocks what the queue held. A
// failed attempt ("Failed task …") is retried with backoff and the task logs its own words, so
// it is a warning too; the last attempt's failure is recorded on the row. Its warning that its
// pool is smaller than the concurrency is debug: deliveries query through a pool of their own,
// so its pool only fetches and completes jobs, which a few connections do in batches.
function graphileLogger(stopping: () => boolean): Logger {
  return new Logger(() => (level, message) => {
    const attempt = message.startsWith("Failed task");
    if (message.includes("smaller than concurrency")) log.debug("{message}", { message });
    else if (level === "error" && !stopping() && !attempt) log.error("{message}", { message });
    else if (level === "error" || level === "warning") log.warn("{message}", { message });
    else log.debug("{message}", { message });
  });
}

/** A running worker and how to stop it. */
export interface WorkerHandle {
  runner: Runner;
  stop: () => Promise<void>;
}

/**
 * Starts a graphile-worker runner with Hatch's tasks, plus a heartbeat: jobs locked by workers
 * whose heartbeat has stopped (a killed process) are unlocked so another worker finishes them.
 */
export async function startWorker(
  options: {
    sql: Sql;
    databaseUrl: string;
    settings: Settings;
    deps?: Partial<DeliveryDeps>;
  },
): Promise<WorkerHandle> {
  const { sql, settings } = options;
  // Deliveries have connections of their own: sharing the app's, every delivery query waited
  // behind the sends in flight, and a busy API starved delivery (accepted 1,358/s, delivered
  // 220/s, the backlog growing by 1,100 a second).
  const deliverySql = connect(options.databaseUrl, poolOptions(settings));
  const deps: DeliveryDeps = {
    sql: deliverySql,
    settings,
    ...providersFor(settings),
    ...options.deps,
  };
  let stopping = false;
  const workerLogger = graphileLogger(() => stopping);
  // Jobs are locked in the pool's name (not its workers'): the pool is what beats, and what a
  // stop that runs out of time fails the running jobs of.
  const events = new EventEmitter() as WorkerEvents;
  let pool: WorkerPool | undefined;
  events.on("pool:create", ({ workerPool }) => pool = workerPool);
  // A fetch that came back empty: this worker waits, so the next job added should NOTIFY
  // (sql/014_quiet_job_queue.sql). While fetches come back full, sends add jobs without one.
  let arming: Promise<void> | undefined;
  const arm = (): Promise<void> =>
    arming ??= deliverySql`select setval('hatch_jobs_wake', 1)`
      // On an error the poll finds the next job all the same.
      .then(() => {}, () => {})
      .finally(() => arming = undefined);
  // A fetch that came back short but not empty leaves the local queue asleep until its next
  // poll, with nobody asking for a NOTIFY: deliveries went out in bursts a poll apart, each
  // burst slowing the sends and the stream (docs/benchmarks.md). So fetch again a moment later,
  // armed first so that a job added after this fetch is either found or NOTIFYs: at most one
  // fetch per REFETCH_MS while jobs trickle in, whatever the rate of sends.
  let refetch: ReturnType<typeof setTimeout> | undefined;
  const refetchSoon = () => {
    refetch ??= setTimeout(async () => {
      await arm();
      refetch = undefined;
      if (!stopping) pool?.nudge(1);
    }, REFETCH_MS);
  };
  events.on("localQueue:getJobs:complete", ({ jobs }) => {
    if (!jobs.length) void arm();
    else if (jobs.length < settings.HATCH_WORKER_LOCAL_QUEUE) refetchSoon();
  });
  events.on("worker:getJob:empty", () => void arm());
  // One pool for every runner (a new one starts after a database error) and the utilities, with
  // error handlers that stay: graphile-worker removes its own from a pool when its runner ends,
  // and a connection of that pool dropped later (the database restarting or stopping) would then
  // raise an unhandled 'error' and end the process.
  const pgPool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: settings.HATCH_WORKER_POOL_SIZE || settings.HATCH_WORKER_CONCURRENCY + 2,
  });
  const ignore = (e: Error) => log.debug("Worker connection error: {error}", { error: e.message });
  pgPool.on("error", ignore);
  pgPool.on("connect", (client) => client.on("error", ignore));
  // A runner that ends on an error rejects its promise (with null, at times): unhandled, that
  // would end the whole process. Its end is handled by the restart below.
  const startRunner = async () => {
    const started = await run({
      pgPool,
      concurrency: settings.HATCH_WORKER_CONCURRENCY,
      noHandleSignals: true,
      pollInterval: settings.HATCH_WORKER_POLL_MS,
      // Unbatched (-1), a job's completion is a query nobody awaits: a stop right after a job can
      // end the pool under it, leaving the job locked, to be sent again. A batcher (even one tick
      // long) is flushed before the runner's stop resolves.
      preset: {
        worker: {
          completeJobBatchDelay: settings.HATCH_WORKER_BATCH_MS,
          failJobBatchDelay: settings.HATCH_WORKER_BATCH_MS,
          ...(settings.HATCH_WORKER_LOCAL_QUEUE > 1
            ? { localQueue: { size: settings.HATCH_WORKER_LOCAL_QUEUE } }
            : {}),
        },
      },
      logger: workerLogger,
      events,
      taskList: deliveryTasks(deps),
      crontab: [
        "0 3 * * * prune ?max=1",
        // Snoozes each have their own job at their time; this catches any that went astray.
        "* * * * * wake_snoozed ?max=1",
        "* * * * * compact_view_counts ?max=1",
        `${reconcileSchedule(settings.HATCH_RECONCILE_MINUTES)} reconcile_statuses ?max=1`,
      ].join("\n"),
    });
    started.promise.catch(() => {});
    return started;
  };
  const utils = await makeWorkerUtils({
    pgPool,
    logger: workerLogger,
  });
  // Queues named per conversation (before delivery jobs stopped using them) or per broadcast,
  // webhook endpoint and import are left behind empty; each one slowed every job fetch.
  deps.removeEmptyQueues = () => utils.cleanup({ tasks: ["GC_JOB_QUEUES"] });
  await deps.removeEmptyQueues().catch((e) =>
    log.warn("Could not remove empty job queues: {error}", { error: String(e) })
  );
  let runner = await startRunner();
  let restartTimer: ReturnType<typeof setTimeout> | undefined;
  let backoff = 1_000;
  // graphile-worker shuts a pool down for good when a worker cannot reach the database or a
  // finished job cannot be recorded (the database went away): start a new runner then. The old
  // one winds down on its own; its pool stops beating, so the heartbeat sweep releases whatever it
  // still held, and those jobs run again (a finished one finds its row done).
  const restart = () => {
    if (stopping || restartTimer) return;
    log.warn("The worker stopped on a database error; starting a new one in {ms} ms", {
      ms: backoff,
    });
    restartTimer = setTimeout(async () => {
      if (stopping) return;
      const old = runner;
      const oldPool = pool;
      try {
        runner = await startRunner();
        backoff = 1_000;
        restartTimer = undefined;
        log.info("Worker started again");
        old.stop().catch(() => {/* it was already stopping */}).then(() =>
          oldPool && releaseHeld(utils, oldPool.id)
        );
      } catch {
        backoff = Math.min(backoff * 2, 10_000);
        restartTimer = undefined;
        restart();
      }
    }, backoff);
  };
  events.on("pool:gracefulShutdown", ({ workerPool }) => {
    if (!stopping && workerPool === pool) restart();
  });
  const beatMs = settings.HATCH_WORKER_HEARTBEAT_SECONDS * 1000;
  let beating: Promise<void> = Promise.resolve();
  const beat = () => {
    beating = heartbeatAndSweep(sql, utils, pool ? [pool.id] : [], beatMs).catch((e) =>
      log.warn("Worker heartbeat failed: {error}", { error: String(e) })
    );
  };
  beat();
  const timer = setInterval(beat, beatMs);
  const wake = startWakeTimer(sql, () => pool?.nudge(1));
  const vacuum = startJobTableVacuum(deliverySql, events);
  const webhooks = startWebhookFanout(sql);
  log.info("Worker started: {concurrency} at a time, SMS via {sms}, email via {email}", {
    concurrency: settings.HATCH_WORKER_CONCURRENCY,
    sms: deps.sms.name,
    email: deps.email.name,
  });
  return {
    get runner() {
      return runner;
    },
    stop: async () => {
      stopping = true;
      wake.stop();
      await webhooks.stop();
      await vacuum.stop();
      clearTimeout(restartTimer);
      clearTimeout(refetch);
      clearInterval(timer);
      await beating;
      // runner.stop() waits for the running jobs, however long a provider takes to answer.
      if (!await settlesWithin(runner.stop(), settings.HATCH_STOP_SECONDS * 1000)) {
        log.warn("Deliveries still running after {seconds} s: failing them, to be retried", {
          seconds: settings.HATCH_STOP_SECONDS,
        });
        await pool?.forcefulShutdown("Hatch is stopping");
      }
      if (pool) await releaseHeld(utils, pool.id);
      const mine = pool ? [pool.id] : [];
      await sql`delete from worker_heartbeats where worker_id = any(${mine})`.catch(() => {});
      await utils.release();
      await deliverySql.end({ timeout: 2 });
      // Bounded: a runner that ended on an error may still hold a connection it will not return.
      await settlesWithin(pgPool.end(), 2_000);
    },
  };
}

// Jobs a stopped pool still holds: its local queue's unstarted jobs, which graphile-worker 0.18
// does not always hand back when it stops under load ("Cannot background something when the
// queue is already released"). Its running jobs have ended by now (finished or failed), so
// whatever it still locks never started here: unlocked, another worker (or the next start)
// takes them at once instead of after the heartbeat sweep. The sweep still covers a database
// that cannot be reached now.
async function releaseHeld(
  utils: Awaited<ReturnType<typeof makeWorkerUtils>>,
  poolId: string,
): Promise<void> {
  await utils.forceUnlockWorkers([poolId]).catch((e) =>
    log.warn("Could not release the jobs of a stopped worker: {error}", { error: String(e) })
  );
}

// Every N minutes as a cron pattern (hourly and longer run at the top of the hour).
function reconcileSchedule(minutes: number): string {
  return minutes < 60 ? `*/${minutes} * * * *` : "0 * * * *";
}

// A worker is dead after three missed beats; its locked jobs are released for others.
async function heartbeatAndSweep(
  sql: Sql,
  utils: Awaited<ReturnType<typeof makeWorkerUtils>>,
  mine: string[],
  beatMs: number,
): Promise<void> {
  if (mine.length) {
    await sql`
      insert into worker_heartbeats (worker_id, seen_at)
      select unnest(${mine}::text[]), now()
      on conflict (worker_id) do update set seen_at = now()`;
  }
  const deadline = `${Math.ceil((beatMs * 3) / 1000)} seconds`;
  const dead = await sql`
    select distinct j.locked_by from graphile_worker.jobs j
    where j.locked_by is not null
      and j.locked_at < now() - ${deadline}::interval
      and not exists (
        select 1 from worker_heartbeats h
        where h.worker_id = j.locked_by and h.seen_at > now() - ${deadline}::interval)`;
  const ids = dead.map((r) => r.locked_by as string);
  if (ids.length) {
    log.warn("Releasing jobs of stopped workers: {ids}", { ids: ids.join(", ") });
    await utils.forceUnlockWorkers(ids);
  }
  await sql`delete from worker_heartbeats where seen_at < now() - interval '1 day'`;
}
