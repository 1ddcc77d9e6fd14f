// /metrics: closed unless a token or a port of its own is configured; with the token, the series
// the issue lists, moving as requests, events and deliveries happen.
import assert from "node:assert/strict";
import { freePort } from "@/lib/net.ts";
import {
  jsonRequest,
  ownDatabase,
  randomPhone,
  startTestApp,
  test,
  waitForStatus,
  waitUntil,
} from "@/tests/helpers.ts";
import { spawnHatch } from "@/tests/process.ts";

/** The value of the series `name{labels}` (labels in any order), or undefined. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

test("without a token or a port, /metrics does not exist", async () => {
  const { raw } = await startTestApp();
  const res = await raw.request("/metrics");
  assert.equal(res.status, 404);
  await res.body?.cancel();
});

test("with HATCH_METRICS_TOKEN: refused without it, and the series move with the traffic", async () => {
  // A database of its own: the run's holds jobs other files queued, which this worker would
  // deliver too (the counters are the process's).
  const own = await ownDatabase("metrics");
  const { raw, app, ctx } = await startTestApp({
    DATABASE_URL: own.url,
    HATCH_METRICS_TOKEN: "metrics-secret-1",
    HATCH_WORKER: "true",
  });
  for (const authorization of ["", "Bearer wrong", "metrics-secret-1"]) {
    const res = await raw.request("/metrics", { headers: authorization ? { authorization } : {} });
    assert.equal(res.status, 401, `"${authorization}" should be refused`);
    await res.body?.cancel();
  }
  const scrape = async () => {
    const res = await raw.request("/metrics", {
      headers: { authorization: "Bearer metrics-secret-1" },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
    return await res.text();
  };
  const before = await scrape();
  const sendLabels = { route: "/api/send_message", method: "POST", status: "202" };
  const sentLabels = { provider: "sandbox", outcome: "sent", code: "" };

  // An open event stream, a send that the embedded worker delivers.
  const stream = await app.request("/api/events");
  assert.equal(stream.status, 200);
  const res = await jsonRequest(app, "/api/send_message", {
    to: randomPhone(),
    content: "metrics",
  });
  assert.equal(res.status, 202);
  const { message_id } = await res.json();
  await waitForStatus(ctx.sql, "messages", message_id, ["sent", "delivered"]);
  // The hub hands the delivery's events to clients after their commit.
  await waitUntil(ctx.sql, async () => {
    const text = await scrape();
    return (sample(text, "hatch_event_hub_position") ?? 0) >= ctx.hub.latestId() &&
      ctx.hub.latestId() > 0;
  });
  const after = await scrape();
  await stream.body?.cancel();

  assert.equal(
    (sample(after, "hatch_http_requests_total", sendLabels) ?? 0) -
      (sample(before, "hatch_http_requests_total", sendLabels) ?? 0),
    1,
  );
  assert.ok(
    (sample(after, "hatch_http_request_duration_seconds_count", {
      route: "/api/send_message",
      method: "POST",
    }) ?? 0) >= 1,
  );
  assert.equal(
    (sample(after, "hatch_deliveries_total", sentLabels) ?? 0) -
      (sample(before, "hatch_deliveries_total", sentLabels) ?? 0),
    1,
  );
  assert.ok((sample(after, "hatch_sse_clients") ?? 0) >= 1, "the open stream is counted");
  assert.ok(
    (sample(after, "hatch_event_hub_lag_seconds_count") ?? 0) >
      (sample(before, "hatch_event_hub_lag_seconds_count") ?? 0),
  );
  assert.ok(
    (sample(after, "hatch_event_hub_events_total") ?? 0) >
      (sample(before, "hatch_event_hub_events_total") ?? 0),
  );
  for (const labels of [{ state: "in_use" }, { state: "idle" }]) {
    assert.notEqual(sample(after, "hatch_db_pool_connections", labels), undefined);
  }
  assert.notEqual(sample(after, "hatch_db_pool_waiting"), undefined);
  assert.ok((sample(after, "hatch_db_pool_wait_seconds_count") ?? 0) > 0);
  for (const name of ["waiting", "running", "oldest_waiting_seconds"]) {
    assert.notEqual(
      sample(after, `hatch_delivery_jobs_${name}`, { task: "deliver_message" }),
      undefined,
    );
  }
  assert.ok((sample(after, "hatch_process_resident_memory_bytes") ?? 0) > 1_000_000);
  assert.ok((sample(after, "hatch_nodejs_heap_size_used_bytes") ?? 0) > 0);
});

test("a job waiting is counted with its age", async () => {
  const { raw, app } = await startTestApp({ HATCH_METRICS_TOKEN: "metrics-secret-2" });
  // No worker in this app: the job waits.
  const res = await jsonRequest(app, "/api/send_message", { to: randomPhone(), content: "waits" });
  assert.equal(res.status, 202);
  await res.body?.cancel();
  const text = await (await raw.request("/metrics", {
    headers: { authorization: "Bearer metrics-secret-2" },
  })).text();
  assert.ok((sample(text, "hatch_delivery_jobs_waiting", { task: "deliver_message" }) ?? 0) >= 1);
  assert.ok(
    (sample(text, "hatch_delivery_jobs_oldest_waiting_seconds", { task: "deliver_message" }) ??
      -1) >= 0,
  );
});

test("HATCH_METRICS_PORT serves /metrics there alone, open; the app's port stays closed", async () => {
  const metricsPort = freePort();
  const hatch = await spawnHatch({ env: { HATCH_METRICS_PORT: String(metricsPort) } });
  const open = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  assert.equal(open.status, 200);
  assert.ok(sample(await open.text(), "hatch_sse_clients") !== undefined);
  const other = await fetch(`http://127.0.0.1:${metricsPort}/health`);
  assert.equal(other.status, 404);
  await other.body?.cancel();
  const closed = await fetch(`${hatch.url}/metrics`);
  assert.equal(closed.status, 404);
  await closed.body?.cancel();
  await hatch.kill("SIGTERM");
  assert.equal((await hatch.child.status).code, 0);
});
