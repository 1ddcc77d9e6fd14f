// HATCH_METRICS_PORT: `/metrics` on a listen address of its own (only Prometheus should reach
// it), for the app and for `cli.ts worker` alike. It listens on the same HTTP server as the
// app: Hono's Node adapter replaces the global Response, which Deno.serve then refuses.
import type { AppContext } from "@/lib/app_context.ts";
import { logger } from "@/lib/log.ts";
import { serveHttp } from "@/lib/web/serve.ts";
import { METRICS_CONTENT_TYPE, metricsPortAllowed, renderMetrics } from "./render.ts";

const log = logger("metrics");

/** Serves `/metrics` on HATCH_METRICS_PORT when it is set; returns how to stop it. */
export function serveMetrics(
  ctx: Pick<AppContext, "sql" | "settings"> & { hub?: AppContext["hub"] },
): { stop(): Promise<void> } | undefined {
  const port = ctx.settings.HATCH_METRICS_PORT;
  if (!port) return undefined;
  const server = serveHttp({
    kind: ctx.settings.HATCH_HTTP_SERVER,
    port,
    hostname: ctx.settings.HATCH_HOST,
    onListen: () => log.info("Metrics on http://localhost:{port}/metrics", { port }),
  }, async (req) => {
    if (new URL(req.url).pathname !== "/metrics") {
      return new Response("Not found\n", { status: 404 });
    }
    if (!metricsPortAllowed(ctx.settings, req.headers.get("authorization"))) {
      return new Response("The metrics token is missing or wrong\n", { status: 401 });
    }
    try {
      return new Response(await renderMetrics(ctx), {
        headers: { "content-type": METRICS_CONTENT_TYPE },
      });
    } catch (e) {
      log.warn("Cannot read the metrics: {error}", { error: String(e) });
      return new Response("The database did not answer\n", { status: 503 });
    }
  });
  return { stop: () => server.shutdown() };
}
