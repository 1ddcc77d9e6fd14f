// One connection that LISTENs on a few channels and comes back by itself after the database
// went away: it reconnects with backoff and tells its owner each time it listens again, since
// NOTIFYs sent while it was away are lost.
// @ts-types="@types/pg"
import pg from "pg";
import { logger } from "@/lib/log.ts";

const log = logger("db", "listener");

/** A running listener and how to stop it. */
export interface Listener {
  stop(): Promise<void>;
}

/** Options of `listen`: what to listen to, and whom to tell. */
export interface ListenOptions {
  url: string;
  /** Each channel's callback, run on every NOTIFY with its payload. */
  channels: Record<string, (payload: string) => void>;
  /** Runs after every successful LISTEN of all channels: the first, and after each reconnect. */
  onListen: () => void;
}

const MAX_BACKOFF_MS = 5_000;

/**
 * Listens on `channels` over a connection of its own, reconnecting until stopped; resolves once
 * the first attempt has listened or failed (it then keeps trying in the background).
 */
export async function listen(options: ListenOptions): Promise<Listener> {
  let client: pg.Client | undefined;
  let stopped = false;
  let backoff = 250;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let warned = false;

  const scheduleRetry = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void open();
    }, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  async function open(): Promise<void> {
    const c = new pg.Client({
      connectionString: options.url,
      application_name: "hatch-listener",
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    client = c;
    let lost = false;
    const onLost = (e?: unknown) => {
      if (lost) return;
      lost = true;
      c.removeAllListeners("notification");
      c.end().catch(() => {});
      if (stopped) return;
      if (!warned) {
        log.warn("Lost the LISTEN connection, reconnecting: {error}", {
          error: e instanceof Error ? e.message : "closed",
        });
        warned = true;
      }
      scheduleRetry();
    };
    c.on("error", onLost);
    c.on("end", () => onLost());
    c.on("notification", (n) => options.channels[n.channel]?.(n.payload ?? ""));
    try {
      await c.connect();
      for (const channel of Object.keys(options.channels)) {
        await c.query(`listen "${channel.replaceAll('"', '""')}"`);
      }
    } catch (e) {
      onLost(e);
      return;
    }
    if (stopped) return void c.end().catch(() => {});
    if (warned) log.info("Listening again");
    warned = false;
    backoff = 250;
    options.onListen();
  }

  await open();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
