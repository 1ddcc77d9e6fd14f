import { define } from "@/lib/web/define.ts";
import { NotFoundError, UnauthorizedError } from "@/lib/errors.ts";
import { METRICS_CONTENT_TYPE, metricsAllowed, renderMetrics } from "@/lib/metrics/render.ts";

// Not a session route: Prometheus sends the metrics token as a bearer token. Without a token
// configured the route does not exist on the app's port (HATCH_METRICS_PORT serves it apart).
export const open = true;

export const handler = define.handlers({
  async GET(c) {
    const settings = c.var.app.settings;
    if (!settings.HATCH_METRICS_TOKEN) throw new NotFoundError("No route for GET /metrics");
    if (!metricsAllowed(settings, c.req.header("authorization"))) {
      throw new UnauthorizedError("The metrics token is missing or wrong");
    }
    return c.body(await renderMetrics(c.var.app), 200, { "content-type": METRICS_CONTENT_TYPE });
  },
});
