import { Logger, makeWorkerUtils, run, type Runner } from "graphile-worker";
import type { Sql } from "../db/connect.ts";
import type { Settings } from "../config.ts";
import { logger } from "../log.ts";
import { type DeliveryDeps, deliveryTasks, providersFor } from "./tasks.ts";

const log = logger("worker");

// graphile-worker's own messages go to LogTape under hatch.worker.
const graphileLogger = new Logger(() => (level, message) => {
  if (level === "error") log.error("{message}", { message });
  else if (level === "warning") log.warn("{message}", { message });
  else log.debug("{message}", { message });
});

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
  const deps: DeliveryDeps = { sql, settings, ...providersFor(settings), ...options.deps };
  const runner = await run({
    connectionString: options.databaseUrl,
    concurrency: settings.HATCH_WORKER_CONCURRENCY,
    maxPoolSize: settings.HATCH_WORKER_CONCURRENCY + 2,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: graphileLogger,
    taskList: deliveryTasks(deps),
    crontab: [
      "0 3 * * * prune ?max=1",
      `${reconcileSchedule(settings.HATCH_RECONCILE_MINUTES)} reconcile_statuses ?max=1`,
    ].join("\n"),
  });
  const workerIds = new Set<string>();
  runner.events.on("worker:create", ({ worker }) => workerIds.add(worker.workerId));
  runner.events.on("worker:release", ({ worker }) => workerIds.delete(worker.workerId));
  const utils = await makeWorkerUtils({
    connectionString: options.databaseUrl,
    logger: graphileLogger,
  });
  const beatMs = settings.HATCH_WORKER_HEARTBEAT_SECONDS * 1000;
  let beating: Promise<void> = Promise.resolve();
  const beat = () => {
    beating = heartbeatAndSweep(sql, utils, [...workerIds], beatMs).catch((e) =>
      log.warn("Worker heartbeat failed: {error}", { error: String(e) })
    );
  };
  beat();
  const timer = setInterval(beat, beatMs);
  log.info("Worker started: {concurrency} at a time, SMS via {sms}, email via {email}", {
    concurrency: settings.HATCH_WORKER_CONCURRENCY,
    sms: deps.sms.name,
    email: deps.email.name,
  });
  return {
    runner,
    stop: async () => {
      clearInterval(timer);
      await beating;
      await runner.stop();
      await sql`delete from worker_heartbeats where worker_id = any(${[...workerIds]})`.catch(
        () => {},
      );
      await utils.release();
    },
  };
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
