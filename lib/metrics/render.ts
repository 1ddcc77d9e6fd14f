// What `/metrics` answers: the series read at scrape time, then the registry in Prometheus' text
// format; and who may read it (closed unless a token or a separate port is configured).
import type { AppContext } from "@/lib/app_context.ts";
import type { Settings } from "@/lib/config.ts";
import { safeEqual } from "@/lib/auth/crypto.ts";
import {
  jobsOldest,
  jobsRunning,
  jobsWaiting,
  poolConnections,
  poolWaiting,
  registry,
  sseClients,
} from "./registry.ts";

/** The content type of the text format. */
export const METRICS_CONTENT_TYPE = registry.contentType;

/** Whether a request to HATCH_METRICS_PORT may read: anyone, or the token's holder if set. */
export function metricsPortAllowed(settings: Settings, authorization: string | null): boolean {
  return !settings.HATCH_METRICS_TOKEN || metricsAllowed(settings, authorization ?? undefined);
}

/** Whether a request to the app's own port may read `/metrics`: only with the metrics token. */
export function metricsAllowed(settings: Settings, authorization: string | undefined): boolean {
  const token = settings.HATCH_METRICS_TOKEN;
  if (!token) return false;
  const given = /^Bearer (.+)$/i.exec(authorization ?? "")?.[1] ?? "";
  return safeEqual(given, token);
}

/**
 * Reads the gauges that live elsewhere (hub, pool, job queue), then renders every series. A
 * worker process has no hub.
 */
export async function renderMetrics(
  ctx: Pick<AppContext, "sql"> & { hub?: AppContext["hub"] },
): Promise<string> {
  if (ctx.hub) sseClients.set(ctx.hub.clientCount());
  const pool = ctx.sql.pool;
  poolConnections.set({ state: "in_use" }, pool.totalCount - pool.idleCount);
  poolConnections.set({ state: "idle" }, pool.idleCount);
  poolWaiting.set(pool.waitingCount);
  const rows = await ctx.sql<{ task: string; waiting: number; running: number; oldest: number }[]>`
    select task_identifier as task,
           count(*) filter (where locked_at is null and run_at <= now())::int as waiting,
           count(*) filter (where locked_at is not null)::int as running,
           coalesce(extract(epoch from now() - min(run_at)
             filter (where locked_at is null and run_at <= now())), 0)::float8 as oldest
      from graphile_worker.jobs
     where attempts < max_attempts
     group by task_identifier`;
  jobsWaiting.reset();
  jobsRunning.reset();
  jobsOldest.reset();
  for (const task of ["deliver_message", "deliver_email"]) {
    jobsWaiting.set({ task }, 0);
    jobsRunning.set({ task }, 0);
    jobsOldest.set({ task }, 0);
  }
  for (const r of rows) {
    jobsWaiting.set({ task: r.task }, r.waiting);
    jobsRunning.set({ task: r.task }, r.running);
    jobsOldest.set({ task: r.task }, r.oldest);
  }
  return await registry.metrics();
}
