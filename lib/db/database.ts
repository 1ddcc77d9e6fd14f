import type { Settings } from "@/lib/config.ts";
import { logger } from "@/lib/log.ts";
import { connect, type ConnectOptions, type Sql } from "./connect.ts";
import { ensureDatabase, startEmbedded } from "./embedded.ts";
import { migrate } from "./migrate.ts";

const log = logger("db");

/** An open, migrated database and how to close it (and the embedded server, if any). */
export interface Database {
  url: string;
  sql: Sql;
  close: () => Promise<void>;
}

/** Resolves the database URL: the configured one, or an embedded server under the data dir. */
export async function resolveDatabaseUrl(
  settings: Settings,
): Promise<{ url: string; stop: () => Promise<void> }> {
  if (settings.databaseUrl) return { url: settings.databaseUrl, stop: async () => {} };
  const server = await startEmbedded({
    dataDir: settings.HATCH_DATA_DIR,
    port: settings.HATCH_EMBEDDED_PG_PORT,
  });
  await ensureDatabase(server.url("postgres"), "hatch");
  log.info("Using the embedded PostgreSQL on port {port}", {
    port: settings.HATCH_EMBEDDED_PG_PORT,
  });
  return { url: server.url("hatch"), stop: server.stop };
}

/** A pool's size and bounded waits, as the settings give them (the app's and the worker's). */
export function poolOptions(settings: Settings): ConnectOptions {
  return {
    max: settings.HATCH_DB_POOL_SIZE,
    acquireTimeoutMs: settings.HATCH_DB_TIMEOUT_SECONDS * 1000,
    statementTimeoutMs: settings.HATCH_DB_TIMEOUT_SECONDS * 1000,
  };
}

/** Opens the database, applies pending migrations and returns the pool. */
export async function openDatabase(settings: Settings): Promise<Database> {
  const { url, stop } = await resolveDatabaseUrl(settings);
  const sql = connect(url, poolOptions(settings));
  try {
    const applied = await migrate(sql, url);
    if (applied.length) log.info("Applied migrations: {applied}", { applied: applied.join(", ") });
  } catch (e) {
    await sql.end();
    await stop();
    throw e;
  }
  return {
    url,
    sql,
    close: async () => {
      await sql.end({ timeout: 5 });
      await stop();
    },
  };
}
