// PLACEHOLDER until delivery lands.
import type { Sql } from "../db/connect.ts";
import type { Settings } from "../config.ts";

/** Starts a graphile-worker runner with Hatch's tasks. */
export function startWorker(
  _options: { sql: Sql; databaseUrl: string; settings: Settings },
): Promise<{ stop: () => Promise<void> }> {
  return Promise.resolve({ stop: () => Promise.resolve() });
}
