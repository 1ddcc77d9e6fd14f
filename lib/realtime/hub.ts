// The per-process fan-out of the event log. One reader drains `events` in (xid, id) order below
// the horizon (see event_log.ts for why that never skips an event) and hands each event,
// serialised once, to every client (the reading itself, and its wake-ups: log_reader.ts).
import type { Sql } from "@/lib/db/connect.ts";
import { listen } from "@/lib/db/listener.ts";
import type { Settings } from "@/lib/config.ts";
import type { Principal } from "@/lib/auth/principal.ts";
import { logger } from "@/lib/log.ts";
import { latestPosition, type Position, type StreamEvent } from "./event_log.ts";
import { startLogReader } from "./log_reader.ts";
import { recentEvents } from "./recent_events.ts";
import { observeHubPublish } from "@/lib/metrics/registry.ts";
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

/** Starts the hub: one LISTEN connection, reads of the event log, fan-out to clients. */
export async function startEventHub(options: EventHubOptions): Promise<EventHub> {
  const { sql } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const clients = new Set<HubClient>();
  let position = await latestPosition(sql);
  const recent = recentEvents<StreamEvent>(position);
  let stopped = false;
  const stats = { listens: 0, delivered: 0 };
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
    observeHubPublish(position.id, events.map((e) => e.data.timestamp as number));
  }

  const reader = startLogReader({ sql, position: () => position, publish });

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
      [EVENTS_CHANNEL]: () => reader.notified(),
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
      reader.listening();
    },
  });

  const poll = setInterval(() => {
    void reader.wake();
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
    wake: () => reader.wake(),
    stats: () => ({
      position: position.id,
      positionXid: position.xid,
      clients: clients.size,
      failing: reader.failing(),
      reads: reader.reads(),
      ...stats,
    }),
    authVersion: () => authVersion,
    closeClients,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(poll);
      closeClients();
      await reader.stop();
      await listener.stop();
    },
  };
}
