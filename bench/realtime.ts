// Sends through the HTTP API and watches the SSE stream: POST→SSE latency, send throughput and,
// by default, delivery keeping up with it.
//
//   deno run -A bench/realtime.ts [--mode latency|throughput|both] [--clients N]
//     [--rate 200] [--seconds N] [--concurrency 48] [--send-rate N] [--drain-limit 300]
//     [--reader-threads 2]
//     [--api-only] [--worker-process] [--to chat|sms] [--tabs N]
//     [--env KEY=VALUE …] [--server-flags="--cpu-prof …"] [--server-log]
//     [--database-url postgres://…/postgres] [--keep]
//
// Starts Hatch as its own process (`deno run -A main.ts`) on a fresh hatch_bench_<ts>
// database, as production runs it: by default with its worker on, sending to SMS recipients
// through the sandbox provider with no delivery delay (HATCH_SANDBOX_DELAY_MS=0), so every send
// is also claimed, handed over, marked sent and then delivered, each step an event. The
// throughput run then also prints delivered per second, the backlog (queued, sending or sent)
// at the start and end of the sends with its trend, and how long it takes to drain afterwards.
// --api-only is the second mode: the worker off (HATCH_WORKER=false) and chat recipients, which
// measures the API and the stream alone (no delivery, one event per send).
// --worker-process runs the worker as a process of its own (`cli.ts worker`) beside an app
// process with HATCH_WORKER=false, instead of inside Hatch's process.
// Requests carry an admin's API token made for the run; the per-principal send limit is
// raised (HATCH_SEND_RATE_PER_MINUTE) so that it measures the system, not the limiter
// (bench/realtime_server.ts).
//
// latency (bench/realtime_latency.ts): POST→SSE time of every (client, message) pair, sending
// at a fixed --rate, open loop, to --clients SSE clients (default 500), for --seconds
// (default 10).
// throughput (bench/realtime_throughput.ts): accepted sends per second with --concurrency
// requests in flight while --clients SSE clients (default 100) read, for --seconds (default 60);
// --send-rate paces the sends (open loop) to see whether delivery keeps up with a given intake.
//
// tabs (bench/realtime_tabs.ts), with --tabs N (instead of --mode): N simulated inbox tabs
// follow the stream, deciding about each event with the inbox's own rule and making the
// requests it asks for, while sends go out at --rate (default 20) for --seconds (default 10);
// prints requests per event per tab, now and with the rule from before events carried what
// tabs need, and POST→SSE at the tabs.
//
// --server-log runs Hatch at HATCH_LOG_LEVEL=info and reads its one line per request, to split
// a send's time into the server's handling (middleware to answer) and everything around it
// (queues, the network, the client); the logging itself costs the server some CPU.
//
// The load generator shares the machine with Hatch and PostgreSQL, so it is kept lean: raw
// TCP streams, no JSON parsing, message ids found with indexOf (bench/realtime_sends.ts); the
// SSE clients are read in --reader-threads worker threads (bench/sse_readers.ts), so that
// reading hundreds of streams does not queue behind, or in front of, the sends. CPU use of
// each side is read from /proc and printed (bench/realtime_cpu.ts), so a miss can be traced
// to whoever used the cores.
import { benchDatabase, benchFlags, machine, printTable } from "./_shared.ts";
import {
  createAdminToken,
  type Server,
  startHatch,
  startWorkerProcess,
} from "./realtime_server.ts";
import type { Row } from "./realtime_sends.ts";
import { latencyRun } from "./realtime_latency.ts";
import { throughputRun } from "./realtime_throughput.ts";
import { type DeliveryProbe, deliveryProbe } from "./realtime_delivery.ts";
import { tabsRun } from "./realtime_tabs.ts";

const flags = benchFlags({
  mode: { type: "string", default: "both" },
  clients: { type: "string" },
  rate: { type: "string" },
  tabs: { type: "string" },
  seconds: { type: "string" },
  concurrency: { type: "string", default: "48" },
  "send-rate": { type: "string", default: "0" },
  "drain-limit": { type: "string", default: "300" },
  "reader-threads": { type: "string", default: "2" },
  to: { type: "string" },
  recipients: { type: "string", default: "1000" },
  "api-only": { type: "boolean", default: false },
  "worker-process": { type: "boolean", default: false },
  env: { type: "string", multiple: true, default: [] },
  "server-flags": { type: "string", default: "" },
  "server-log": { type: "boolean", default: false },
  keep: { type: "boolean", default: false },
});

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} takes a positive integer (got "${value}")`);
    Deno.exit(2);
  }
  return n;
}

const mode = flags.mode;
if (!["latency", "throughput", "both"].includes(mode)) {
  console.error(`--mode is latency, throughput or both (got "${mode}")`);
  Deno.exit(2);
}
const apiOnly = flags["api-only"];
const to = flags.to ?? (apiOnly ? "chat" : "sms");
if (to !== "chat" && to !== "sms") {
  console.error(`--to is chat or sms (got "${to}")`);
  Deno.exit(2);
}
const tabs = flags.tabs === undefined ? undefined : positiveInt("tabs", flags.tabs, 1);
const rate = positiveInt("rate", flags.rate, tabs ? 20 : 200);
const concurrency = positiveInt("concurrency", flags.concurrency, 48);
const sendRate = flags["send-rate"] === "0" ? 0 : positiveInt("send-rate", flags["send-rate"], 0);
const readerThreads = positiveInt("reader-threads", flags["reader-threads"], 2);
const recipientCount = positiveInt("recipients", flags.recipients, 1000);
const extraEnv: Record<string, string> = {};
for (const kv of flags.env) {
  const eq = kv.indexOf("=");
  if (eq < 1) {
    console.error(`--env takes KEY=VALUE (got "${kv}")`);
    Deno.exit(2);
  }
  extraEnv[kv.slice(0, eq)] = kv.slice(eq + 1);
}

// Many distinct recipients: sends to one conversation serialise on its row, which would
// measure contention on a single thread rather than the system.
const recipients = Array.from(
  { length: recipientCount },
  (_, i) =>
    to === "sms"
      ? `+1415555${String(1000 + (i % 9000)).padStart(4, "0")}`
      : `Bench customer ${String(i).padStart(5, "0")}`,
);
const bodies = recipients.map((to) =>
  new TextEncoder().encode(
    JSON.stringify({ to, content: "Hello from the realtime benchmark: is 3 pm still good?" }),
  )
);

console.log(`Hatch realtime benchmark — ${machine()}`);
const [load1] = Deno.loadavg();
console.log(`load average before the run: ${load1.toFixed(2)}`);
const db = await benchDatabase(flags["database-url"], "rt");
console.log(`database ${db.name} on ${new URL(db.url).host}`);
let hatch: Server | undefined;
let delivery: DeliveryProbe | undefined;
let stopWorker: (() => Promise<void>) | undefined;
const workerProcess = flags["worker-process"] && !apiOnly;
try {
  const authorization = `Bearer ${await createAdminToken(db.url)}`;
  hatch = await startHatch({
    databaseUrl: db.url,
    worker: !apiOnly && !workerProcess,
    serverLog: flags["server-log"],
    serverFlags: flags["server-flags"],
    // The sandbox reports `delivered` at once, so the figures are Hatch's, not a simulated wait.
    extraEnv: { ...(apiOnly ? {} : { HATCH_SANDBOX_DELAY_MS: "0" }), ...extraEnv },
  });
  if (workerProcess) {
    stopWorker = await startWorkerProcess(db.url, { HATCH_SANDBOX_DELAY_MS: "0", ...extraEnv });
  }
  console.log(
    apiOnly
      ? "Mode: API only (worker off)"
      : workerProcess
      ? "Mode: production-like, the worker a process of its own"
      : "Mode: production-like (worker on)",
  );
  if (!apiOnly) delivery = deliveryProbe(db.url);
  const run = { server: hatch, database: db.name, authorization, readerThreads, bodies, to };
  const rows: Row[] = [];
  if (tabs) {
    const seconds = positiveInt("seconds", flags.seconds, 10);
    rows.push(...await tabsRun({ ...run, clients: 0, tabs, rate, seconds, recipients }));
  } else if (mode === "latency" || mode === "both") {
    const clients = positiveInt("clients", flags.clients, 500);
    const seconds = positiveInt("seconds", flags.seconds, 10);
    rows.push(...await latencyRun({ ...run, clients, rate, seconds }));
  }
  if (!tabs && (mode === "throughput" || mode === "both")) {
    const clients = positiveInt("clients", flags.clients, 100);
    const seconds = positiveInt("seconds", flags.seconds, 60);
    rows.push(
      ...await throughputRun({
        ...run,
        clients,
        concurrency,
        seconds,
        sendRate,
        delivery,
        drainLimitSeconds: positiveInt("drain-limit", flags["drain-limit"], 300),
      }),
    );
  }
  console.log("");
  printTable(["run", "figure", "value"], rows.map((r) => [r.run, r.figure, r.value]));
} finally {
  await delivery?.close();
  await stopWorker?.();
  await hatch?.stop();
  if (flags.keep) console.log(`Kept database ${db.name}`);
  else await db.drop();
}
