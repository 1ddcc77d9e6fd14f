// Reading the event log for the hub (lib/realtime/hub.ts): never two reads at once, in
// (xid, id) order below the horizon (event_log.ts says why that never skips an event), each
// batch handed to `publish`.
//
// Wake-ups: while events keep arriving the reader polls every few milliseconds and commits send
// no NOTIFY at all. Once a read finds nothing new a few times in a row, the reader arms the
// `hatch_events_wake` flag; the first append to see it armed clears it and NOTIFYs (one wake-up
// for every process), and later appends skip NOTIFY until a reader arms it again. An append that
// checked the flag just before it was armed has an xid below the xmax of the first read after
// arming: the hub keeps polling (backing off) until its horizon passes that xid, so such an
// append is read without a wake-up. A 5 s poll remains as a safety net.
import type { Sql } from "@/lib/db/connect.ts";
import { logger } from "@/lib/log.ts";
import {
  comparePositions,
  PAGE_SIZE,
  type Position,
  readEventsAfter,
  type StreamEvent,
} from "./event_log.ts";
import { toStreamEvents } from "./summaries.ts";

const log = logger("realtime", "hub");

/** How long a NOTIFY waits for others before the hub reads the event log. */
export const COALESCE_MS = 4;
/**
 * The pace of reads while events keep coming. Each read that finds events is one socket write per
 * connected client, which at hundreds of clients is most of the process's time: reading every 12
 * ms rather than every 4 took a quarter off the machine's load at 500 clients and lowered POST→SSE
 * p50 and p90 with it (docs/benchmarks.md).
 */
const BUSY_POLL_MS = 12;
/** Empty reads in a row before the hub arms the wake-up flag and waits for a NOTIFY. */
const IDLE_READS = 3;
/** The longest pause between polls while the horizon is held back (a long transaction). */
const MAX_BACKOFF_MS = 100;
/** How long the horizon may stay below the events waiting above it before the hub says so. */
const HELD_WARN_MS = 10_000;

interface Waiter {
  resolve: () => void;
  /** The xmax of the first read after the call: resolved once the horizon reaches it. */
  bound?: number;
}

/** The hub's reader of the event log. */
export interface LogReader {
  /** Asks for a read now; resolves once every transaction begun before the call has been read. */
  wake(): Promise<void>;
  /** A NOTIFY was heard: whoever sent it cleared the flag, so it is armed again once idle. */
  notified(): void;
  /** The listener (re)connected: it may have missed a NOTIFY meanwhile. */
  listening(): void;
  failing(): boolean;
  reads(): number;
  /** Stops polling; resolves once the read in progress has ended. */
  stop(): Promise<void>;
}

/** Starts reading after `position()`, handing each batch of new events to `publish`. */
export function startLogReader(options: {
  sql: Sql;
  /** The position of the last event published (publish moves it). */
  position: () => Position;
  publish: (events: StreamEvent[]) => void;
}): LogReader {
  const { sql } = options;
  let reads = 0;
  // The wake-up protocol's state (see the top of this file).
  let emptyReads = 0;
  /** Set once the flag is armed: the xid the horizon must pass before the hub may sleep. */
  let armedBelow: number | undefined;
  /** Until when reads compute the precise horizon (another database's transaction lags). */
  let preciseUntil = 0;
  /** The next read arms the flag first. */
  let armNext = false;
  let backoffMs = COALESCE_MS;
  let heldSince: number | undefined;
  let heldWarned = false;
  let reading = false;
  let current: Promise<void> = Promise.resolve();
  let dirty = false;
  let pending: Waiter[] = [];
  let stopped = false;
  let failing = false;

  /** Reads until the log is drained: the first read's xmax and the last one's horizon. */
  async function drainOnce(): Promise<{ xmax: number; horizon: number }> {
    let any = false;
    let firstXmax: number | undefined;
    if (armNext) {
      // Set before this read, so the read's snapshot (its xmax) comes after the flag was set.
      await sql`select setval('hatch_events_wake', 1)`;
      armNext = false;
      armedBelow = -1;
    }
    for (;;) {
      // The cluster's horizon is free to compute; the precise one (this database's transactions
      // only) is used while the cluster's lags: once the log looks idle, or held back.
      const precise = Date.now() < preciseUntil || emptyReads > 0 || armedBelow !== undefined;
      const { rows, horizon, clusterHorizon, xmax } = await readEventsAfter(
        sql,
        options.position(),
        PAGE_SIZE,
        { precise },
      );
      if (horizon > clusterHorizon) preciseUntil = Date.now() + 1_000;
      firstXmax ??= xmax;
      reads++;
      const fresh = rows.filter((row) => comparePositions(row, options.position()) > 0);
      options.publish(await toStreamEvents(sql, fresh));
      if (fresh.length) any = true;
      if (rows.length < PAGE_SIZE || stopped) {
        afterRead(any, horizon, xmax);
        return { xmax: firstXmax, horizon };
      }
    }
  }

  // What follows a read: poll again soon while busy, arm the flag once idle, then sleep.
  function afterRead(any: boolean, horizon: number, xmax: number): void {
    if (any) {
      emptyReads = 0;
      armedBelow = undefined;
      backoffMs = COALESCE_MS;
      heldSince = undefined;
      return schedulePoll(BUSY_POLL_MS);
    }
    if (armedBelow === undefined) {
      if (++emptyReads < IDLE_READS) return schedulePoll(COALESCE_MS);
      emptyReads = 0;
      armNext = true;
      return schedulePoll(0);
    }
    // Armed: appends from here on NOTIFY. Those that checked the flag before it was armed have
    // xids below `armedBelow`; once the horizon passes it, they have all been read.
    if (armedBelow === -1) armedBelow = xmax;
    if (horizon >= armedBelow) {
      heldSince = undefined;
      heldWarned = false;
      return; // idle: the next NOTIFY (or the safety poll) wakes the hub
    }
    heldSince ??= Date.now();
    if (!heldWarned && Date.now() - heldSince > HELD_WARN_MS) {
      heldWarned = true;
      void warnHeld(horizon);
    }
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    schedulePoll(backoffMs);
  }

  // Which transaction holds the horizon back, for the operator: live updates wait for it.
  async function warnHeld(horizon: number): Promise<void> {
    try {
      const [row] = await sql<
        { pid: number; datname: string | null; age: string; state: string | null }[]
      >`
        select pid, datname, (now() - xact_start)::text as age, state from pg_stat_activity
        where backend_xid::text::bigint = ${String(horizon)}::bigint % 4294967296
        limit 1`;
      log.warn(
        "Live events wait for a transaction open for {age} (pid {pid}, database {db}, {state}): events commit in order of transaction start, so later ones are held until it ends",
        {
          age: row?.age ?? "a while",
          pid: row?.pid ?? "?",
          db: row?.datname ?? "?",
          state: row?.state ?? "?",
        },
      );
    } catch {
      // Only a diagnosis: the polls go on.
    }
  }

  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  function schedulePoll(ms: number): void {
    if (stopped || pollTimer) return;
    pollTimer = setTimeout(() => {
      pollTimer = undefined;
      void wake();
    }, ms);
  }

  // Never two reads at once: a wake-up during a read marks it dirty, and one more read
  // follows, however many wake-ups arrived meanwhile.
  // `reading` is cleared in the same synchronous step that ends the loop, so a wake-up can
  // never land between the last check of `dirty` and the end of the read and be lost.
  async function readLoop(): Promise<void> {
    try {
      do {
        dirty = false;
        const waiters = pending;
        pending = [];
        try {
          const read = await drainOnce();
          if (failing) {
            log.info("Reading the event log again from id {position}", {
              position: options.position().id,
            });
          }
          failing = false;
          // A waiter is served once every transaction that had begun before its first read has
          // ended and been read: until then the hub keeps polling for it.
          for (const w of waiters) {
            w.bound ??= read.xmax;
            if (read.horizon >= w.bound || stopped) w.resolve();
            else pending.push(w);
          }
          if (pending.length) schedulePoll(COALESCE_MS);
        } catch (e) {
          // Keep the waiters for the read that succeeds; the poll or the listener retries.
          pending.push(...waiters);
          if (!failing && !stopped) {
            log.warn("Cannot read the event log: {error}", { error: String(e) });
          }
          failing = true;
          return;
        }
      } while (dirty && !stopped);
    } finally {
      reading = false;
    }
  }

  function wake(): Promise<void> {
    if (stopped) return Promise.resolve();
    const done = new Promise<void>((resolve) => pending.push({ resolve }));
    if (reading) dirty = true;
    else {
      reading = true;
      current = readLoop();
    }
    return done;
  }

  // Commits arrive a few milliseconds apart under load: waiting that long before reading lets
  // one read (and one write per client) carry several of them.
  let soon: ReturnType<typeof setTimeout> | undefined;
  function wakeSoon(): void {
    if (reading) dirty = true;
    else {
      soon ??= setTimeout(() => {
        soon = undefined;
        void wake();
      }, COALESCE_MS);
    }
  }

  return {
    wake,
    notified() {
      armedBelow = undefined;
      wakeSoon();
    },
    listening() {
      armedBelow = undefined;
      void wake();
    },
    failing: () => failing,
    reads: () => reads,
    async stop() {
      stopped = true;
      clearTimeout(pollTimer);
      clearTimeout(soon);
      await current;
      for (const w of pending) w.resolve();
      pending = [];
    },
  };
}
