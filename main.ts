import type { Hono } from "hono";
import { manifest } from "./routes.gen.ts";
import { loadSettings, type Settings } from "./lib/config.ts";
import { ConfigError } from "./lib/errors.ts";
import { logger, setupLogging } from "./lib/log.ts";
import { openDatabase } from "./lib/db/database.ts";
import type { Sql } from "./lib/db/connect.ts";
import { type EventHub, startEventHub } from "./lib/realtime/hub.ts";
import { startWorker } from "./lib/delivery/worker.ts";
import { ensureFirstAdmin } from "./lib/auth/first_run.ts";
import { AUTH_CHANNEL, forgetTokens } from "./lib/auth/tokens.ts";
import { livePrincipals, sessionPolicy } from "./lib/auth/principal.ts";
import { settlesWithin, stopOnSignals } from "./lib/stop.ts";
import { buildRouter } from "./lib/web/router.tsx";
import { serveHttp } from "./lib/web/serve.ts";
import { serveMetrics } from "./lib/metrics/server.ts";
import { openFileLimit } from "./lib/open_files.ts";
import type { AppEnv } from "./lib/web/define.ts";
import type { AppContext } from "./lib/app_context.ts";
import { SendBatch } from "./lib/messages/send_batch.ts";
import { ReportBatch } from "./lib/messages/report_batch.ts";
import { InboundBatch } from "./lib/messages/inbound_batch.ts";

const log = logger("main");

/** The whole web app for a context; tests drive it with `app.request()`. */
export function createApp(ctx: AppContext): Hono<AppEnv> {
  return buildRouter(manifest, ctx);
}

/**
 * The context on a database (`sql`) and a hub: the batches that store what arrives together
 * (sends, providers' reports, customers' texts) on that same pool.
 */
export function appContext(sql: Sql, settings: Settings, hub: EventHub): AppContext {
  return {
    sql,
    settings,
    hub,
    sends: new SendBatch(sql),
    reports: new ReportBatch(sql),
    inbound: new InboundBatch(sql),
  };
}

/** A running Hatch: its context and how to stop everything it started. */
export interface Running {
  ctx: AppContext;
  databaseUrl: string;
  stop: () => Promise<void>;
}

/** Opens the database, starts the event hub and (unless disabled) the embedded worker. */
export async function startServices(settings: Settings): Promise<Running> {
  const db = await openDatabase(settings);
  const hub = await startEventHub({
    sql: db.sql,
    databaseUrl: db.url,
    settings,
    channels: { [AUTH_CHANNEL]: forgetTokens },
    // A revoke re-checks streams through this NOTIFY even in the process that made it: before
    // its commit, which only the notification follows, a check would still find it live.
    principals: {
      channel: AUTH_CHANNEL,
      check: (principals) => livePrincipals(db.sql, principals, sessionPolicy(settings)),
    },
  });
  const ctx = appContext(db.sql, settings, hub);
  const worker = settings.HATCH_WORKER
    ? await startWorker({ sql: db.sql, databaseUrl: db.url, settings })
    : undefined;
  return {
    ctx,
    databaseUrl: db.url,
    // The worker and the hub still use the database while they stop: it closes last.
    stop: async () => {
      try {
        await worker?.stop();
        await hub.stop();
      } finally {
        await db.close();
      }
    },
  };
}

// Each event stream holds an open file: say how many this process may hold.
function logOpenFiles(): void {
  const files = openFileLimit();
  if (files === null) return;
  log.info("Open files: up to {files}, one per event stream", { files });
  if (files < 20_000) {
    log.info(
      "The open-file limit {files} caps event streams per process; raise it with `ulimit -Hn` or compose's `ulimits`",
      { files },
    );
  }
}

/** Starts Hatch: settings, logging, database, migrations, worker and the HTTP server. */
export async function start(): Promise<void> {
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Hatch cannot start: ${e.message}`);
      Deno.exit(78);
    }
    throw e;
  }
  await setupLogging({ level: settings.HATCH_LOG_LEVEL, format: settings.HATCH_LOG_FORMAT });
  logOpenFiles();
  const stopWith = stopOnSignals();
  const running = await startServices(settings);
  await ensureFirstAdmin(running.ctx.sql, settings);
  const app = createApp(running.ctx);
  const server = serveHttp({
    kind: settings.HATCH_HTTP_SERVER,
    port: settings.HATCH_PORT,
    hostname: settings.HATCH_HOST,
    onListen: () =>
      log.info("Hatch is ready on http://localhost:{port} (SMS: {sms}, email: {email})", {
        port: settings.HATCH_PORT,
        sms: settings.smsProvider,
        email: settings.emailProvider,
      }),
  }, (request, env) => app.fetch(request, env));
  const metrics = serveMetrics(running.ctx);
  stopWith(async () => {
    // New connections are refused first. Event streams never end on their own: they are ended,
    // and the other requests get HATCH_STOP_SECONDS to finish before what they use goes away.
    const served = server.shutdown();
    void metrics?.stop();
    running.ctx.hub.closeClients();
    if (!await settlesWithin(served, settings.HATCH_STOP_SECONDS * 1000)) {
      log.warn("Requests still running after {seconds} s: stopping anyway", {
        seconds: settings.HATCH_STOP_SECONDS,
      });
    }
    await running.stop();
  });
}

if (import.meta.main) await start();
