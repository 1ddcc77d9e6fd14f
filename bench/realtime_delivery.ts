// Delivery figures for bench/realtime.ts with the worker on: how many outbound messages the
// worker has finished (delivered, failed), how many wait (queued, sending, sent), sampled once a
// second over one connection of the bench's own, and how long the backlog takes to drain once
// the sends stop. One aggregate over the run's messages per sample: a sequential scan of a
// table that holds only this run's rows, cheap next to what it measures.
import { connect, type Sql } from "@/lib/db/connect.ts";

/** Counts of the run's outbound messages at one moment. */
export interface DeliverySample {
  /** performance.now() when the counts were read. */
  at: number;
  /** Delivered or failed: nothing left to do for them. */
  done: number;
  /** Queued, sending or sent (waiting for its delivered report). */
  backlog: number;
}

/** What PostgreSQL has done so far: WAL written (the whole cluster's) and the run's commits. */
export interface DatabaseWork {
  /** pg_current_wal_lsn() */
  lsn: string;
  /** Bytes of WAL since `since` (0 without one). */
  walBytes: number;
  /** The run database's committed transactions (pg_stat_database, flushed about once a second). */
  commits: number;
}

/** Samples the delivery counts every second until stopped. */
export interface DeliveryProbe {
  /** Reads the counts now. */
  sample(): Promise<DeliverySample>;
  /** Reads how much WAL and how many commits PostgreSQL has made, since an earlier reading. */
  work(since?: DatabaseWork): Promise<DatabaseWork>;
  /** The samples taken since `from` (performance.now()). */
  since(from: number): DeliverySample[];
  /** Waits until the backlog is 0 or `limitMs` passes; the sample that ended the wait. */
  drain(limitMs: number): Promise<DeliverySample>;
  close(): Promise<void>;
}

/** Starts sampling the run database's delivery counts every `everyMs`. */
export function deliveryProbe(databaseUrl: string, everyMs = 1000): DeliveryProbe {
  const sql: Sql = connect(databaseUrl, { max: 1, statementTimeoutMs: 0 });
  const samples: DeliverySample[] = [];
  const read = async (): Promise<DeliverySample> => {
    const [row] = await sql<{ done: string; backlog: string }[]>`
      select count(*) filter (where status in ('delivered', 'failed', 'undelivered')) as done,
             count(*) filter (where status in ('queued', 'sending', 'sent')) as backlog
      from messages where direction = 'outbound'`;
    const s = { at: performance.now(), done: Number(row.done), backlog: Number(row.backlog) };
    samples.push(s);
    return s;
  };
  let stopped = false;
  let ticking: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    ticking = read().catch(() => {});
  }, everyMs);
  return {
    sample: read,
    async work(since) {
      const [row] = await sql<{ lsn: string; wal: string; commits: string }[]>`
        select pg_current_wal_lsn()::text as lsn,
               pg_wal_lsn_diff(pg_current_wal_lsn(), ${since?.lsn ?? null}::pg_lsn)::text as wal,
               xact_commit::text as commits
        from pg_stat_database where datname = current_database()`;
      return { lsn: row.lsn, walBytes: Number(row.wal ?? 0), commits: Number(row.commits) };
    },
    since: (from) => samples.filter((s) => s.at >= from),
    async drain(limitMs) {
      const end = performance.now() + limitMs;
      for (;;) {
        const s = await read();
        if (s.backlog === 0 || performance.now() >= end || stopped) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      stopped = true;
      clearInterval(timer);
      await ticking;
      await sql.end();
    },
  };
}

/** The backlog's slope over samples: least squares, messages per second (flat is ~0). */
export function backlogSlope(samples: DeliverySample[]): number {
  if (samples.length < 2) return NaN;
  const xs = samples.map((s) => s.at / 1000);
  const ys = samples.map((s) => s.backlog);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}
