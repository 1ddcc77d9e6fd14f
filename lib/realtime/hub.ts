// PLACEHOLDER until the realtime module lands: the interface main.ts relies on.
import type { Sql } from "../db/connect.ts";
import type { Settings } from "../config.ts";

/** The per-process fan-out of the event log to SSE clients. */
export interface EventHub {
  stop(): Promise<void>;
  closeClients(): void;
}

/** Starts the hub: one LISTEN connection, reads of the event log, fan-out to clients. */
export function startEventHub(
  _options: { sql: Sql; databaseUrl: string; settings: Settings },
): Promise<EventHub> {
  return Promise.resolve({ stop: () => Promise.resolve(), closeClients: () => {} });
}
