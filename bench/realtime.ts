// Sends through the HTTP API and watches the SSE stream: POST→SSE latency and send throughput.
//
//   deno run -A bench/realtime.ts [--mode latency|throughput|both] [--clients N]
//     [--rate 200] [--seconds 10] [--concurrency 48] [--reader-threads 2] [--to chat|sms]
//     [--worker]
//     [--env KEY=VALUE …] [--server-flags="--cpu-prof …"] [--server-log]
//     [--database-url postgres://…/postgres] [--keep]
//
// Starts Hatch as its own process (`deno run -A main.ts`) on a fresh hatch_bench_<ts>
// database, as production runs it. The embedded worker is off (HATCH_WORKER=false) unless
// --worker: then sandbox delivery runs in the same process and its status updates add events,
// which is closer to production but measures delivery as well as the API and the stream.
// Requests carry an admin's API token made for the run; the per-principal send limit is
// raised (HATCH_SEND_RATE_PER_MINUTE) so that it measures the system, not the limiter.
//
// latency: --clients SSE clients (default 500) connected to GET /api/events; sends at a fixed
// --rate (open loop: a slow answer does not delay the next send) for --seconds; for every
// (client, message) pair, the time from just before the POST to that client reading the
// message_update INSERT frame for the message_id the POST returned.
// throughput: --clients SSE clients (default 100) connected and reading; --concurrency
// requests in flight on keep-alive connections for --seconds; accepted sends (202) per second.
//
// --server-log runs Hatch at HATCH_LOG_LEVEL=info and reads its one line per request, to split
// a send's time into the server's handling (middleware to answer) and everything around it
// (queues, the network, the client); the logging itself costs the server some CPU.
//
// The load generator shares the machine with Hatch and PostgreSQL, so it is kept lean: raw
// TCP streams, no JSON parsing, message ids found with indexOf; the SSE clients are read in
// --reader-threads worker threads (bench/sse_readers.ts), so that reading hundreds of streams
// does not queue behind, or in front of, the sends. CPU use of each side is read from /proc
// and printed, so a miss can be traced to whoever used the cores.
import { parseArgs } from "node:util";
import { connect } from "../lib/db/connect.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createUser } from "../lib/auth/users.ts";
import { createApiToken } from "../lib/auth/tokens.ts";
import { type ReadTotals, startReaders } from "./sse_readers.ts";
import { RawHttpPool } from "./raw_http.ts";
import { freePort, waitForReady } from "../lib/net.ts";
import {
  benchDatabaseName,
  createBenchDatabase,
  machine,
  ms,
  percentile,
  printTable,
  serverUrl,
} from "./_shared.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    mode: { type: "string", default: "both" },
    clients: { type: "string" },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "48" },
    "reader-threads": { type: "string", default: "2" },
    to: { type: "string", default: "chat" },
    recipients: { type: "string", default: "1000" },
    worker: { type: "boolean", default: false },
    env: { type: "string", multiple: true, default: [] },
    "server-flags": { type: "string", default: "" },
    "server-log": { type: "boolean", default: false },
    "database-url": { type: "string" },
    keep: { type: "boolean", default: false },
  },
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
if (flags.to !== "chat" && flags.to !== "sms") {
  console.error(`--to is chat or sms (got "${flags.to}")`);
  Deno.exit(2);
}
const rate = positiveInt("rate", flags.rate, 200);
const seconds = positiveInt("seconds", flags.seconds, 10);
const concurrency = positiveInt("concurrency", flags.concurrency, 48);
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
    flags.to === "sms"
      ? `+1415555${String(1000 + (i % 9000)).padStart(4, "0")}`
      : `Bench customer ${String(i).padStart(5, "0")}`,
);
const bodies = recipients.map((to) =>
  new TextEncoder().encode(
    JSON.stringify({ to, content: "Hello from the realtime benchmark: is 3 pm still good?" }),
  )
);
let authorization = "";
let serverBase = "";

/** The keep-alive connections sends go out on (bench/raw_http.ts). */
function sender(): RawHttpPool {
  return new RawHttpPool(serverBase, { "content-type": "application/json", authorization });
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux): who used the two cores during a phase.

const TICKS_PER_SECOND = 100;

function procTicks(pid: number | "self"): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

// The PostgreSQL backends serving the bench database, plus the server's WAL writer, whose
// work grows with commits; other databases' backends (tests running alongside) are left out.
function postgresTicks(database: string): number {
  let total = 0;
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const cmd = Deno.readTextFileSync(`/proc/${e.name}/cmdline`);
      if (!cmd.startsWith("postgres:")) continue;
      if (cmd.includes(` ${database} `) || cmd.includes("walwriter")) {
        total += procTicks(Number(e.name));
      }
    } catch { /* the process ended */ }
  }
  return total;
}

function machineTicks(): { busy: number; total: number } {
  const [line] = Deno.readTextFileSync("/proc/stat").split("\n");
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

interface CpuSnapshot {
  at: number;
  server: number;
  bench: number;
  postgres: number;
  machine: { busy: number; total: number };
}

function cpuSnapshot(serverPid: number, database: string): CpuSnapshot {
  return {
    at: performance.now(),
    server: procTicks(serverPid),
    bench: procTicks("self"),
    postgres: postgresTicks(database),
    machine: machineTicks(),
  };
}

function cpuReport(a: CpuSnapshot, b: CpuSnapshot): string {
  const secs = (b.at - a.at) / 1000;
  const share = (ticks: number) => (ticks / TICKS_PER_SECOND / secs) * 100;
  const cores = navigator.hardwareConcurrency;
  const machine = ((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) *
    cores * 100;
  const ours = [b.server - a.server, b.bench - a.bench, b.postgres - a.postgres].map(share);
  // Whatever else ran (other processes, the kernel's own work): figures taken while this is
  // large say more about the machine than about Hatch.
  const rest = Math.max(0, machine - ours.reduce((x, y) => x + y, 0));
  const [hatch, bench, pg] = ours.map((v) => `${Math.round(v)}%`);
  return `CPU (100% = one core): hatch ${hatch}, bench client ${bench}, postgres ${pg}, ` +
    `everything else ${Math.round(rest)}%; machine ${Math.round(machine)}% of ${cores * 100}%`;
}

// ---------------------------------------------------------------------------------------------
// The server under test.

/** Migrates the fresh database and makes an admin with an API token, as an operator would. */
async function createAdminToken(url: string): Promise<string> {
  const sql = connect(url, { max: 1 });
  try {
    await migrate(sql, url);
    const user = await createUser(sql, {
      email: "bench@hatch.example",
      role: "admin",
      password: `bench-${crypto.randomUUID()}`,
    });
    return (await createApiToken(sql, { userId: user.id, name: "realtime bench" })).token;
  } finally {
    await sql.end();
  }
}

/** The server's own handling time of each accepted send, from its log, with when it was read. */
const serverTimes: { at: number; ms: number }[] = [];

async function readServerLog(stdout: ReadableStream<Uint8Array>): Promise<void> {
  let rest = "";
  const decoder = new TextDecoder();
  for await (const bytes of stdout) {
    const lines = (rest + decoder.decode(bytes, { stream: true })).split("\n");
    rest = lines.pop() ?? "";
    const at = performance.now();
    for (const line of lines) {
      if (!line.includes('"path":"/api/send_message"') || !line.includes('"status":202')) continue;
      const m = line.match(/"ms":([\d.]+)/);
      if (m) serverTimes.push({ at, ms: Number(m[1]) });
    }
  }
}

/** Server handling p50 / p99 of the sends logged between `from` and `to` (performance.now()). */
function serverHandling(from: number, to: number): string {
  const times = Float64Array.from(
    serverTimes.filter((t) => t.at >= from && t.at <= to).map((t) => t.ms),
  ).sort();
  return `${ms(percentile(times, 50))} / ${
    ms(percentile(times, 99))
  } ms over ${times.length} sends`;
}

interface Server {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

async function startHatch(databaseUrl: string): Promise<Server> {
  const port = freePort();
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    HATCH_PORT: String(port),
    HATCH_HOST: "127.0.0.1",
    HATCH_WORKER: flags.worker ? "true" : "false",
    HATCH_SMS_PROVIDER: "sandbox",
    HATCH_EMAIL_PROVIDER: "sandbox",
    HATCH_LOG_LEVEL: flags["server-log"] ? "info" : "warning",
    HATCH_LOG_FORMAT: "json",
    HATCH_SEND_RATE_PER_MINUTE: "1000000",
    ...extraEnv,
  };
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...flags["server-flags"].split(" ").filter(Boolean), "main.ts"],
    cwd: new URL("../", import.meta.url).pathname,
    env,
    stdin: "null",
    stdout: flags["server-log"] ? "piped" : "null",
    stderr: "inherit",
  }).spawn();
  if (flags["server-log"]) void readServerLog(child.stdout);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, 5000);
    await child.status;
    clearTimeout(timer);
  };
  if (!await waitForReady(url, 60_000)) {
    await stop();
    throw new Error(`Hatch did not become ready on port ${port} within 60 s`);
  }
  const shown = Object.entries(env).filter(([k]) => k !== "DATABASE_URL" && k !== "HATCH_PORT")
    .map(([k, v]) => `${k}=${v}`).join(" ");
  console.log(`Hatch (pid ${child.pid}) ready on ${url} with ${shown}`);
  return { url, pid: child.pid, stop };
}

// ---------------------------------------------------------------------------------------------
// SSE clients (read in worker threads, see sse_readers.ts).

function readRate(
  a: ReadTotals,
  b: ReadTotals,
  clients: number,
  secs: number,
): string {
  const reads = b.reads - a.reads;
  const perClient = reads / clients / secs;
  return `${Math.round(reads / secs).toLocaleString("en")}/s (${
    Math.round(perClient)
  }/s per client, ${Math.round((b.bytes - a.bytes) / Math.max(1, reads))} bytes per read)`;
}

// ---------------------------------------------------------------------------------------------
// Sending.

interface SendResult {
  status: number;
  messageId?: string;
  /** Milliseconds from just before the POST to the answer's body. */
  ms: number;
}

const MESSAGE_KEY = '"message_id":"';

async function send(http: RawHttpPool, body: Uint8Array, extract: boolean): Promise<SendResult> {
  const t0 = performance.now();
  try {
    const answer = await http.post("/api/send_message", body);
    let messageId: string | undefined;
    if (extract && answer.status === 202) {
      const i = answer.body.indexOf(MESSAGE_KEY);
      if (i >= 0) {
        messageId = answer.body.slice(i + MESSAGE_KEY.length, i + MESSAGE_KEY.length + 36);
      }
    }
    return { status: answer.status, messageId, ms: performance.now() - t0 };
  } catch {
    return { status: 0, ms: performance.now() - t0 };
  }
}

function statusSummary(results: SendResult[]): string {
  const byStatus = new Map<number, number>();
  for (const r of results) {
    if (r.status !== 202) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  }
  if (!byStatus.size) return "no errors";
  return [...byStatus].map(([s, n]) => `${n} × ${s === 0 ? "network error" : s}`).join(", ");
}

function sortedMs(results: SendResult[]): Float64Array {
  return Float64Array.from(results.filter((r) => r.status === 202).map((r) => r.ms)).sort();
}

// ---------------------------------------------------------------------------------------------
// The two runs.

interface Row {
  run: string;
  figure: string;
  value: string;
}

/** Sends `total` messages at --rate (open loop); each with the time just before its POST. */
async function sendAtRate(
  http: RawHttpPool,
  total: number,
): Promise<{ t0: number; result: Promise<SendResult> }[]> {
  const sent: { t0: number; result: Promise<SendResult> }[] = [];
  const interval = 1000 / rate;
  const start = performance.now();
  let k = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      // Open loop: every send that is due goes now, however the earlier ones are doing.
      while (k < total && performance.now() >= start + k * interval) {
        const body = bodies[k % bodies.length];
        // On the readers' clock: ms since the epoch, high resolution, the same in every thread.
        sent.push({
          t0: performance.timeOrigin + performance.now(),
          result: send(http, body, true),
        });
        k++;
      }
      if (k >= total) return resolve();
      setTimeout(tick, Math.max(0, start + k * interval - performance.now()));
    };
    tick();
  });
  return sent;
}

async function latencyRun(server: Server, database: string, clients: number): Promise<Row[]> {
  console.log(
    `\nLatency: ${clients} SSE clients, ${rate} sends/s for ${seconds} s to ${flags.to} recipients`,
  );
  const sse = await startReaders({
    url: server.url,
    authorization,
    count: clients,
    workers: readerThreads,
    record: true,
  });
  const http = sender();
  // A warm-up second at the same rate, not counted: V8 compiles the hot paths and the pool
  // opens its connections, which would otherwise land on the first measured sends.
  const warmUp = await Promise.all(
    (await sendAtRate(http, rate)).map((s) => s.result),
  );
  const before = cpuSnapshot(server.pid, database);
  const readsBefore = await sse.totals();
  const total = rate * seconds;
  const start = performance.now();
  const sent = await sendAtRate(http, total);
  const results = await Promise.all(sent.map((s) => s.result));
  const sendSeconds = (performance.now() - start) / 1000;
  const after = cpuSnapshot(server.pid, database);
  const readsAfter = await sse.totals();
  // Give the last frames time to arrive before counting what is missing; the readers' count
  // includes the warm-up's messages.
  const sentIds = (list: SendResult[]) => list.filter((r) => r.messageId).length;
  const warm = sentIds(warmUp) * clients;
  const expected = sentIds(results) * clients;
  const graceEnd = performance.now() + 5000;
  while (
    (await sse.totals()).arrivals - warm < expected && performance.now() < graceEnd
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const arrivals = await sse.arrivals();
  const final = await sse.totals();
  const latencies: number[] = [];
  let missing = 0;
  results.forEach((r, i) => {
    if (!r.messageId) return;
    const list = arrivals.get(r.messageId) ?? [];
    missing += clients - list.length;
    for (const at of list) latencies.push(at - sent[i].t0);
  });
  const sorted = Float64Array.from(latencies).sort();
  const post = sortedMs(results);
  const accepted = results.filter((r) => r.status === 202).length;
  const dropped = final.endedEarly;
  await sse.close();
  http.close();
  console.log(cpuReport(before, after));
  const run = `latency (${clients} clients, ${rate}/s)`;
  return [
    {
      run,
      figure: "sends accepted",
      value: `${accepted} of ${total} in ${sendSeconds.toFixed(1)} s (${statusSummary(results)})`,
    },
    {
      run,
      figure: "POST answer p50 / p99",
      value: `${ms(percentile(post, 50))} / ${ms(percentile(post, 99))} ms`,
    },
    ...(flags["server-log"]
      ? [{
        run,
        figure: "server handling p50 / p99 (its log)",
        value: serverHandling(before.at, performance.now()),
      }]
      : []),
    {
      run,
      figure: "POST→SSE p50 / p90 / p99 / max",
      value: `${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 90))} / ${
        ms(percentile(sorted, 99))
      } / ${ms(sorted[sorted.length - 1])} ms over ${sorted.length.toLocaleString("en")} pairs`,
    },
    {
      run,
      figure: "pairs missing after 5 s",
      value: `${missing} (${dropped} streams ended early)`,
    },
    {
      run,
      figure: "SSE reads by the clients",
      value: readRate(readsBefore, readsAfter, clients, sendSeconds),
    },
  ];
}

async function throughputRun(server: Server, database: string, clients: number): Promise<Row[]> {
  console.log(
    `\nThroughput: ${clients} SSE clients reading, ${concurrency} requests in flight for ${seconds} s to ${flags.to} recipients`,
  );
  const sse = await startReaders({
    url: server.url,
    authorization,
    count: clients,
    workers: readerThreads,
    record: false,
  });
  const http = sender();
  let next = 0;
  const flood = async (forMs: number) => {
    const results: SendResult[] = [];
    const end = performance.now() + forMs;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        results.push(await send(http, bodies[next++ % bodies.length], false));
      }
    }));
    return results;
  };
  await flood(2000); // warm-up, not counted (see latencyRun)
  const before = cpuSnapshot(server.pid, database);
  const readsBefore = await sse.totals();
  const start = performance.now();
  const results = await flood(seconds * 1000);
  const elapsed = (performance.now() - start) / 1000;
  const after = cpuSnapshot(server.pid, database);
  const readsAfter = await sse.totals();
  // Let the readers catch up before their byte counts are read.
  await new Promise((r) => setTimeout(r, 1000));
  const accepted = results.filter((r) => r.status === 202).length;
  const post = sortedMs(results);
  const final = await sse.totals();
  const mib = (final.bytes - readsBefore.bytes) / 2 ** 20;
  const dropped = final.endedEarly;
  await sse.close();
  http.close();
  console.log(cpuReport(before, after));
  const run = `throughput (${clients} clients, ${concurrency} in flight)`;
  return [
    {
      run,
      figure: "sends accepted",
      value: `${accepted} in ${elapsed.toFixed(1)} s = ${Math.round(accepted / elapsed)}/s (${
        statusSummary(results)
      })`,
    },
    {
      run,
      figure: "POST answer p50 / p99",
      value: `${ms(percentile(post, 50))} / ${ms(percentile(post, 99))} ms`,
    },
    ...(flags["server-log"]
      ? [{
        run,
        figure: "server handling p50 / p99 (its log)",
        value: serverHandling(before.at, performance.now()),
      }]
      : []),
    {
      run,
      figure: "SSE data read by the clients",
      value: `${mib.toFixed(1)} MiB (${dropped} streams ended early)`,
    },
    {
      run,
      figure: "SSE reads by the clients",
      value: readRate(readsBefore, readsAfter, clients, elapsed),
    },
  ];
}

// ---------------------------------------------------------------------------------------------

const server = serverUrl(flags["database-url"]);
console.log(`Hatch realtime benchmark — ${machine()}`);
const [load1] = Deno.loadavg();
console.log(`load average before the run: ${load1.toFixed(2)}`);
const db = await createBenchDatabase(server, benchDatabaseName("rt"));
console.log(`database ${db.name} on ${new URL(server).host}`);
let hatch: Server | undefined;
try {
  authorization = `Bearer ${await createAdminToken(db.url)}`;
  hatch = await startHatch(db.url);
  serverBase = hatch.url;
  const rows: Row[] = [];
  if (mode === "latency" || mode === "both") {
    rows.push(...await latencyRun(hatch, db.name, positiveInt("clients", flags.clients, 500)));
  }
  if (mode === "throughput" || mode === "both") {
    rows.push(...await throughputRun(hatch, db.name, positiveInt("clients", flags.clients, 100)));
  }
  console.log("");
  printTable(["run", "figure", "value"], rows.map((r) => [r.run, r.figure, r.value]));
} finally {
  await hatch?.stop();
  if (flags.keep) console.log(`Kept database ${db.name}`);
  else await db.drop();
}
