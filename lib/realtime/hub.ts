// The per-process fan-out of the event log. One LISTEN connection wakes a single reader; the
// reader drains `events` in id order and hands each event, serialised once, to every client.
//
// Why reading by `id > position` never skips an event: hatch_append_event takes an advisory
// lock before nextval() and holds it to commit, so ids are handed out in commit order and the
// committed ids are always a prefix of the ids ever handed out (minus rolled-back ones). A read
// that sees id N therefore already sees, or will never see, every id below N.
import type { Sql } from "@/lib/db/connect.ts";
import { listen } from "@/lib/db/listener.ts";
import type { Settings } from "@/lib/config.ts";
import type { Principal } from "@/lib/auth/principal.ts";
import { logger } from "@/lib/log.ts";
import {
  latestEventId,
  PAGE_SIZE,
  readEventsAfter,
  type StreamEvent,
  toStreamEvent,
} from "./event_log.ts";
import { recentEvents } from "./recent_events.ts";
import { PRESENCE_CHANNEL } from "./presence.ts";

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

/** How long a NOTIFY waits for others before the hub reads the event log. */
const COALESCE_MS = 4;

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
  /**
   * Receives an ephemeral frame (presence): never in the event log, no `id:`, not replayed; a
   * client still replaying may drop it.
   */
  ephemeral?(frame: Uint8Array): void;
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
  clients: number;
  /** Completed LISTENs: 1 after start, +1 after every reconnect of the listener. */
  listens: number;
  reads: number;
  delivered: number;
  failing: boolean;
}

/** The per-process fan-out of the event log to SSE clients. */
export interface EventHub {
  /** The id of the last event handed to clients; every later event will be handed over too. */
  latestId(): number;
  /**
   * The events after `afterId` up to latestId(), from memory, when the hub still holds all of
   * them (a client back from a short drop or its lifetime cap); `undefined` when it cannot
   * vouch for them and the caller must read the table.
   */
  recentSince(afterId: number): StreamEvent[] | undefined;
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
}

/** Starts the hub: one LISTEN connection, reads of the event log, fan-out to clients. */
export async function startEventHub(options: EventHubOptions): Promise<EventHub> {
  const { sql } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const clients = new Set<HubClient>();
  let position = await latestEventId(sql);
  const recent = recentEvents<StreamEvent>(position);
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
    // subscribes in between can rely on latestId() as its exact hand-over point.
    position = events[events.length - 1].id;
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

  async function drainOnce(): Promise<void> {
    for (;;) {
      const rows = await readEventsAfter(sql, position, PAGE_SIZE);
      stats.reads++;
      publish(rows.filter((row) => row.id > position).map(toStreamEvent));
      if (rows.length < PAGE_SIZE || stopped) return;
    }
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
          await drainOnce();
          if (failing) log.info("Reading the event log again from id {position}", { position });
          failing = false;
          for (const w of waiters) w.resolve();
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

  // Presence goes straight to the clients: nothing about it is stored or read back.
  const encoder = new TextEncoder();
  function ephemeral(payload: string): void {
    if (!payload || payload.includes("\n")) return;
    const frame = encoder.encode(`event: presence\ndata: ${payload}\n\n`);
    for (const client of clients) {
      try {
        client.ephemeral?.(frame);
      } catch {
        // A client that cannot take it is dropped by its next delivery.
      }
    }
  }

  const listener = await listen({
    url: options.databaseUrl,
    channels: {
      [EVENTS_CHANNEL]: wakeSoon,
      [PRESENCE_CHANNEL]: ephemeral,
      ...Object.fromEntries(
        [...callbacks].map(([channel, list]) => [channel, () => list.forEach((f) => f())]),
      ),
    },
    // A (re)connected listener may have missed NOTIFYs while it was away: catch up on each.
    onListen: () => {
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
    latestId: () => position,
    recentSince: (afterId) => recent.since(afterId),
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
    stats: () => ({ position, clients: clients.size, failing, ...stats }),
    authVersion: () => authVersion,
    closeClients,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(poll);
      closeClients();
      await current;
      for (const w of pending) w.resolve();
      pending = [];
      await listener.stop();
    },
  };
}
