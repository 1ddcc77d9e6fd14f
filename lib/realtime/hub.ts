// The per-process fan-out of the event log. One reader drains `events` in (xid, id) order below
// the horizon (see event_log.ts for why that never skips an event) and hands each event,
// serialised once, to every client.
//
// Wake-ups: while events keep arriving the reader polls every few milliseconds and commits send
// no NOTIFY at all. Once a read finds nothing new a few times in a row, the hub arms the
// `hatch_events_wake` flag; the first append to see it armed clears it and NOTIFYs (one wake-up
// for every hub), and later appends skip NOTIFY until a hub arms it again. An append that
// checked the flag just before it was armed has an xid below the xmax of the first read after
// arming: the hub keeps polling (backing off) until its horizon passes that xid, so such an
// append is read without a wake-up. A 5 s poll remains as a safety net.
import type { Sql } from "@/lib/db/connect.ts";
import { listen } from "@/lib/db/listener.ts";
import type { Settings } from "@/lib/config.ts";
import type { Principal } from "@/lib/auth/principal.ts";
import { logger } from "@/lib/log.ts";
import {
  comparePositions,
  latestPosition,
  PAGE_SIZE,
  type Position,
  readEventsAfter,
  type StreamEvent,
} from "./event_log.ts";
import { toStreamEvents } from "./summaries.ts";
import { recentEvents } from "./recent_events.ts";

const log = logger("realtime", "hub");

/** The frames of several events as one buffer (the frame itself when there is one). */
export function joinFrames(events: readonly StreamEvent[]): Uint8Array {
  if (events.length === 1) return events[0].frame;
  const out = new Uint8Array(events.reduce((n, e) => n + e.frame.length, 0));
  let at = 0;
  for (const e of events) {
    out.set(e.frame, at);
    at += e.frame.length;
  }
  return out;
}

/** How long a NOTIFY waits for others before the hub reads the event log; the busy poll's pace. */
const COALESCE_MS = 4;
/** Empty reads in a row before the hub arms the wake-up flag and waits for a NOTIFY. */
const IDLE_READS = 3;
/** The longest pause between polls while the horizon is held back (a long transaction). */
const MAX_BACKOFF_MS = 100;
/** How long the horizon may stay below the events waiting above it before the hub says so. */
const HELD_WARN_MS = 10_000;

/** The channel hatch_append_event notifies; the payload is empty: NOTIFY is only a wake-up. */
export const EVENTS_CHANNEL = "hatch_events";

/** One subscriber of the hub: usually an SSE stream. */
export interface HubClient {
  /**
   * Receives every event after the hub's position at subscribe time, once, in id order: one
   * read's events at a time, with `frames` their SSE frames already joined (shared by every
   * client, so a burst costs one write per client rather than one per event).
   */
  deliver(events: readonly StreamEvent[], frames: Uint8Array): void;
  /** Ends the client (the hub is shutting down, or its principal ended); it unsubscribes itself. */
  close(): void;
  /** Whose stream this is: re-checked on every auth change, the client closed once it lapses. */
  principal?: Principal;
  /** hub.authVersion() from before the principal was looked up. */
  authVersion?: number;
}

/** Counters for logs, health and benchmarks. */
export interface HubStats {
  position: number;
  /** The xid of the last event handed to clients. */
  positionXid: number;
  clients: number;
  /** Completed LISTENs: 1 after start, +1 after every reconnect of the listener. */
  listens: number;
  reads: number;
  delivered: number;
  failing: boolean;
}

/** The per-process fan-out of the event log to SSE clients. */
export interface EventHub {
  /** The id of the last event handed to clients (what a stream's `id:` names). */
  latestId(): number;
  /** The position of the last event handed to clients; every later event will be handed over. */
  position(): Position;
  /**
   * The events after `after` up to position(), from memory, when the hub still holds all of
   * them (a client back from a short drop or its lifetime cap); `undefined` when it cannot
   * vouch for them and the caller must read the table.
   */
  recentSince(after: Position): StreamEvent[] | undefined;
  /** The position of event `id` when the hub still holds it in memory. */
  recentPosition(id: number): Position | undefined;
  /** Adds a client; returns the function that removes it. */
  subscribe(client: HubClient): () => void;
  /** How many clients are subscribed. */
  clientCount(): number;
  /** Asks for a read now; resolves once a read that began after the call has drained the log. */
  wake(): Promise<void>;
  stats(): HubStats;
  /**
   * How many auth changes the hub has heard. A principal looked up before it last moved may
   * predate a change, so a client subscribing with an older count is re-checked.
   */
  authVersion(): number;
  /**
   * The process is stopping: closes every client's stream, and from now on each new one as soon
   * as it subscribes, so browsers reconnect (to another process, or later).
   */
  closeClients(): void;
  /** Stops listening and reading, and closes the clients. */
  stop(): Promise<void>;
}

/**
 * What the hub needs: the pool for reads, the URL for its own LISTEN connection, timings.
 * (Old events are pruned by the worker's daily `prune` cron job, not here.)
 */
export interface EventHubOptions {
  sql: Sql;
  databaseUrl: string;
  settings: Settings;
  /** A read this often even without NOTIFY, so a lost wake-up cannot stall clients. */
  pollIntervalMs?: number;
  /**
   * Other channels to LISTEN on over the same connection: each callback runs on a NOTIFY and
   * each time the connection starts listening (it may have missed one while away).
   */
  channels?: Record<string, () => void>;
  /**
   * Re-checks the principals of clients whenever `channel` is heard (and when the listener
   * starts, as it may have missed a change) and closes the clients whose principal lapsed.
   */
  principals?: {
    channel: string;
    /** Whether each principal still holds, in order. */
    check(principals: readonly Principal[]): Promise<readonly boolean[]>;
  };
}

interface Waiter {
  resolve: () => void;
  /** The xmax of the first read after the call: resolved once the horizon reaches it. */
  bound?: number;
}

/** Starts the hub: one LISTEN connection, reads of the event log, fan-out to clients. */
export async function startEventHub(options: EventHubOptions): Promise<EventHub> {
  const { sql } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const clients = new Set<HubClient>();
  let position = await latestPosition(sql);
  const recent = recentEvents<StreamEvent>(position);
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
  const stats = { listens: 0, reads: 0, delivered: 0 };
  let authVersion = 0;
  let checking = false;
  let checkAgain = false;
  let checkFailed = false;

  function publish(events: StreamEvent[]): void {
    if (!events.length) return;
    // Position and fan-out change together, with no await between them: a client that
    // subscribes in between can rely on position() as its exact hand-over point.
    const last = events[events.length - 1];
    position = { xid: last.xid, id: last.id };
    recent.push(events);
    stats.delivered += events.length;
    const frames = joinFrames(events);
    for (const client of clients) {
      try {
        client.deliver(events, frames);
      } catch (e) {
        clients.delete(client);
        log.warn("Dropped a client that failed to take an event: {error}", { error: String(e) });
      }
    }
  }

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
        position,
        PAGE_SIZE,
        { precise },
      );
      if (horizon > clusterHorizon) preciseUntil = Date.now() + 1_000;
      firstXmax ??= xmax;
      stats.reads++;
      const fresh = rows.filter((row) => comparePositions(row, position) > 0);
      publish(await toStreamEvents(sql, fresh));
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
      return schedulePoll(COALESCE_MS);
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
            log.info("Reading the event log again from id {position}", { position: position.id });
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

  // Like reads, never two checks at once: a change heard during one is covered by one more.
  async function checkLoop(check: (p: readonly Principal[]) => Promise<readonly boolean[]>) {
    try {
      do {
        checkAgain = false;
        const held = [...clients].filter((c) => c.principal);
        if (!held.length) continue;
        let live: readonly boolean[];
        try {
          live = await check(held.map((c) => c.principal!));
        } catch (e) {
          // The poll tries again; a principal that lapsed meanwhile is refused on requests.
          if (!checkFailed) {
            log.warn("Cannot re-check clients' access: {error}", { error: String(e) });
          }
          checkFailed = true;
          return;
        }
        checkFailed = false;
        const lapsed = held.filter((_, i) => !live[i] && clients.has(held[i]));
        if (lapsed.length) log.info("Closing {n} streams whose access ended", { n: lapsed.length });
        for (const client of lapsed) closeClient(client);
      } while (checkAgain && !stopped);
    } finally {
      checking = false;
    }
  }

  function recheck(): void {
    const check = options.principals?.check;
    if (!check || stopped) return;
    if (checking) checkAgain = true;
    else {
      checking = true;
      void checkLoop(check);
    }
  }

  // One callback per channel, calling each of its listeners.
  const callbacks = new Map<string, (() => void)[]>();
  for (const [channel, callback] of Object.entries(options.channels ?? {})) {
    callbacks.set(channel, [callback]);
  }
  if (options.principals) {
    const { channel } = options.principals;
    callbacks.set(channel, [...callbacks.get(channel) ?? [], () => {
      authVersion++;
      recheck();
    }]);
  }

  const listener = await listen({
    url: options.databaseUrl,
    channels: {
      [EVENTS_CHANNEL]: () => {
        // Whoever NOTIFYed cleared the flag: arm it again once idle.
        armedBelow = undefined;
        wakeSoon();
      },
      ...Object.fromEntries(
        [...callbacks].map(([channel, list]) => [channel, () => list.forEach((f) => f())]),
      ),
    },
    // A (re)connected listener may have missed NOTIFYs while it was away: catch up on each.
    onListen: () => {
      armedBelow = undefined;
      stats.listens++;
      if (stats.listens > 1) log.info("Listening for events again; catching up");
      for (const list of callbacks.values()) list.forEach((f) => f());
      void wake();
    },
  });

  const poll = setInterval(() => {
    void wake();
    if (checkFailed) recheck();
  }, pollIntervalMs);
  Deno.unrefTimer(poll);
  function closeClient(client: HubClient): void {
    try {
      client.close();
    } catch {
      // A client already gone has nothing to close.
    }
    clients.delete(client);
  }
  let closing = false;
  const closeClients = () => {
    closing = true;
    for (const client of [...clients]) closeClient(client);
  };

  return {
    latestId: () => position.id,
    position: () => position,
    recentSince: (after) => recent.since(after),
    recentPosition: (id) => recent.find(id),
    subscribe(client) {
      if (closing) {
        // After the subscriber has finished setting up, so its close undoes all of it.
        queueMicrotask(() => client.close());
        return () => {};
      }
      clients.add(client);
      if (client.principal && (client.authVersion ?? authVersion) < authVersion) recheck();
      log.debug("Client subscribed ({n} now)", { n: clients.size });
      return () => {
        if (clients.delete(client)) log.debug("Client left ({n} now)", { n: clients.size });
      };
    },
    clientCount: () => clients.size,
    wake,
    stats: () => ({
      position: position.id,
      positionXid: position.xid,
      clients: clients.size,
      failing,
      ...stats,
    }),
    authVersion: () => authVersion,
    closeClients,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(poll);
      clearTimeout(pollTimer);
      closeClients();
      await current;
      for (const w of pending) w.resolve();
      pending = [];
      await listener.stop();
    },
  };
}
