// The process's Prometheus series (prom-client). Other modules only call the small recorders
// below (`observeRequest`, `observeHubPublish`, `countDelivery`, `observePoolWait`); what can
// be read when scraped (SSE clients, the pool, jobs waiting) is read then, by `render`.
import client from "prom-client";

/** The registry `/metrics` renders: Hatch's series plus prom-client's process ones. */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: "hatch_" });

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequests = new client.Counter({
  name: "hatch_http_requests_total",
  help: "HTTP requests answered, by route pattern, method and status",
  labelNames: ["route", "method", "status"] as const,
  registers: [registry],
});

export const httpDuration = new client.Histogram({
  name: "hatch_http_request_duration_seconds",
  help: "Time to the response's headers, by route pattern and method",
  labelNames: ["route", "method"] as const,
  buckets: seconds,
  registers: [registry],
});

export const sseClients = new client.Gauge({
  name: "hatch_sse_clients",
  help: "Event streams open on this process",
  registers: [registry],
});

export const hubPosition = new client.Gauge({
  name: "hatch_event_hub_position",
  help: "Id of the last event handed to the clients",
  registers: [registry],
});

export const hubLag = new client.Histogram({
  name: "hatch_event_hub_lag_seconds",
  help: "From an event's insert to its frames written to every client",
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const hubEvents = new client.Counter({
  name: "hatch_event_hub_events_total",
  help: "Events handed to the clients",
  registers: [registry],
});

export const jobsWaiting = new client.Gauge({
  name: "hatch_delivery_jobs_waiting",
  help: "Jobs due and not yet taken by a worker, by task",
  labelNames: ["task"] as const,
  registers: [registry],
});

export const jobsRunning = new client.Gauge({
  name: "hatch_delivery_jobs_running",
  help: "Jobs a worker holds, by task",
  labelNames: ["task"] as const,
  registers: [registry],
});

export const jobsOldest = new client.Gauge({
  name: "hatch_delivery_jobs_oldest_waiting_seconds",
  help: "How long the oldest due job has waited, by task (0 when none waits)",
  labelNames: ["task"] as const,
  registers: [registry],
});

export const deliveries = new client.Counter({
  name: "hatch_deliveries_total",
  help: "Delivery attempts by provider and outcome (sent, retry, failed) and error code",
  labelNames: ["provider", "outcome", "code"] as const,
  registers: [registry],
});

export const poolConnections = new client.Gauge({
  name: "hatch_db_pool_connections",
  help: "The database pool's connections, by state (in_use, idle)",
  labelNames: ["state"] as const,
  registers: [registry],
});

export const poolWaiting = new client.Gauge({
  name: "hatch_db_pool_waiting",
  help: "Queries waiting for a connection of the pool now",
  registers: [registry],
});

export const poolWait = new client.Histogram({
  name: "hatch_db_pool_wait_seconds",
  help: "How long taking a connection from the pool took",
  buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  registers: [registry],
});

/** Counts one answered request; `route` is the pattern (`/api/message/:id`), never the path. */
export function observeRequest(
  o: { route: string; method: string; status: number; seconds: number },
): void {
  httpRequests.inc({ route: o.route, method: o.method, status: String(o.status) });
  httpDuration.observe({ route: o.route, method: o.method }, o.seconds);
}

/** The hub handed events to its clients: `timestamps` are their insert times (epoch seconds). */
export function observeHubPublish(position: number, timestamps: readonly number[]): void {
  const now = Date.now() / 1000;
  hubPosition.set(position);
  hubEvents.inc(timestamps.length);
  for (const ts of timestamps) hubLag.observe(Math.max(0, now - ts));
}

/** One delivery attempt's outcome. */
export function countDelivery(provider: string, outcome: "sent" | "retry" | "failed", code = "") {
  deliveries.inc({ provider, outcome, code });
}

/** How long one connection took to come from the pool. */
export function observePoolWait(seconds: number): void {
  poolWait.observe(seconds);
}
