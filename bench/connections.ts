// What an idle event stream costs Hatch: its process's RSS with 1k, 10k and 20k connected
// streams, per stream, on each HTTP server (HATCH_HTTP_SERVER=deno or node), then the POST→SSE
// time with them all connected while sends go out at --rate to --clients measured streams.
//
//   deno run -A bench/connections.ts [--server deno,node] [--counts 1000,10000,20000]
//     [--rate 100] [--seconds 10] [--clients 100] [--database-url postgres://…/postgres]
//
// 20,000 streams need more open files than the usual soft limit on both sides: the bench runs
// itself and Hatch under `prlimit --nofile=65536:65536` (root, or CAP_SYS_RESOURCE, may raise the
// hard limit; elsewhere run it in a shell whose `ulimit -n` is high enough).
// Idle streams are raw TCP connections that read and drop what comes (keepalives), with small
// buffers, so the bench's own memory stays out of the figure; RSS is the server's VmRSS.
import { benchDatabase, benchFlags, machine, printTable } from "./_shared.ts";
import { createAdminToken, startHatch } from "./realtime_server.ts";
import { latencyRun } from "./realtime_latency.ts";

const NOFILE = 65536;
// Whether this machine lets us raise the hard limit (a container may not).
const canRaise = await new Deno.Command("prlimit", {
  args: [`--nofile=${NOFILE}:${NOFILE}`, "true"],
  stdout: "null",
  stderr: "null",
}).output().then((o) => o.success, () => false);
if (canRaise && !Deno.env.get("HATCH_BENCH_RAISED")) {
  const status = await new Deno.Command("prlimit", {
    args: [
      `--nofile=${NOFILE}:${NOFILE}`,
      Deno.execPath(),
      "run",
      "-A",
      import.meta.filename!,
      ...Deno.args,
    ],
    env: { HATCH_BENCH_RAISED: "1" },
  }).spawn().status;
  Deno.exit(status.code);
}
const openFileLimit = Number(
  /Max open files\s+(\d+)/.exec(Deno.readTextFileSync("/proc/self/limits"))?.[1] ?? NOFILE,
);
if (!canRaise) {
  console.log(
    `Cannot raise the open-file limit here: it stays ${openFileLimit} (each side needs one per stream)`,
  );
}

const flags = benchFlags({
  server: { type: "string", default: "deno,node" },
  counts: { type: "string", default: "1000,10000,20000" },
  rate: { type: "string", default: "100" },
  seconds: { type: "string", default: "10" },
  clients: { type: "string", default: "100" },
});
const kinds = flags.server.split(",") as ("deno" | "node")[];
// Each side needs a descriptor per stream, plus the measured clients and some to spare (the
// database pool, files, the runtime's own): a count the limit cannot hold is measured at the most
// it can, and said so, rather than ending the run with "Too many open files".
const room = Math.floor((openFileLimit - Number(flags.clients) - 1_000) / 1_000) * 1_000;
const counts = flags.counts.split(",").map(Number).map((n) => {
  if (n <= room) return n;
  console.log(
    `${n} streams need more open files than the limit (${openFileLimit}) allows: measuring ${room}`,
  );
  return room;
});

function rssKiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

const METRICS_TOKEN = `bench-${crypto.randomUUID()}`;

/** The server's JavaScript heap in use and V8's external memory, in MiB, from its /metrics. */
async function heapMiB(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  })).text();
  const mib = (name: string) =>
    (Number(new RegExp(`^hatch_${name} (\\S+)`, "m").exec(text)?.[1]) / 2 ** 20).toFixed(0);
  return `JS heap ${mib("nodejs_heap_size_used_bytes")} of ${
    mib("nodejs_heap_size_total_bytes")
  } MiB, external ${mib("nodejs_external_memory_bytes")} MiB`;
}

const scratch = new Uint8Array(16 * 1024);

/** Opens one idle stream; resolves once its head and first frame arrived. */
async function idleStream(url: URL, authorization: string): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  await conn.write(new TextEncoder().encode(
    `GET /api/events HTTP/1.1\r\nhost: ${url.host}\r\naccept: text/event-stream\r\n` +
      `authorization: ${authorization}\r\n\r\n`,
  ));
  const n = await conn.read(scratch);
  if (!n) throw new Error("the stream closed before its first frame");
  // Reads and drops whatever comes next (keepalives), until closed.
  (async () => {
    try {
      while (await conn.read(scratch) !== null) { /* dropped */ }
    } catch { /* closed by us */ }
  })();
  return conn;
}

// Long enough for V8's memory reducer (it starts 8 s after allocation goes quiet) to give back
// heap reserved while the streams connected: read sooner, RSS swung by a third between runs of
// the same code, with the heap in use the same.
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 15_000));
}

console.log(`Hatch connections benchmark — ${machine()}`);
const rows: string[][] = [];
for (const kind of kinds) {
  const db = await benchDatabase(flags["database-url"], `conn_${kind}`);
  const hatch = await (async () => {
    const authorization = `Bearer ${await createAdminToken(db.url)}`;
    const h = await startHatch({
      databaseUrl: db.url,
      worker: false,
      serverLog: false,
      serverFlags: "",
      extraEnv: { HATCH_HTTP_SERVER: kind, HATCH_METRICS_TOKEN: METRICS_TOKEN },
      wrap: canRaise ? ["prlimit", `--nofile=${NOFILE}:${NOFILE}`] : [],
    });
    return { ...h, authorization };
  })();
  const conns: Deno.TcpConn[] = [];
  try {
    const url = new URL(hatch.url);
    // Warm up: a few streams opened and closed, so lazily made parts are in the baseline.
    for (
      const c of await Promise.all(
        Array.from({ length: 20 }, () => idleStream(url, hatch.authorization)),
      )
    ) {
      c.close();
    }
    await settle();
    const base = rssKiB(hatch.pid);
    console.log(
      `${kind}: no streams, RSS ${(base / 1024).toFixed(0)} MiB (${await heapMiB(hatch.url)})`,
    );
    rows.push([kind, "0", `${(base / 1024).toFixed(0)} MiB`, "–"]);
    for (const count of counts) {
      while (conns.length < count) {
        const batch = Math.min(500, count - conns.length);
        conns.push(
          ...await Promise.all(
            Array.from({ length: batch }, () => idleStream(url, hatch.authorization)),
          ),
        );
      }
      await settle();
      const rss = rssKiB(hatch.pid);
      const per = ((rss - base) / count).toFixed(1);
      console.log(
        `${kind}: ${count} streams, RSS ${
          (rss / 1024).toFixed(0)
        } MiB, ${per} KiB each (${await heapMiB(
          hatch.url,
        )})`,
      );
      rows.push([kind, String(count), `${(rss / 1024).toFixed(0)} MiB`, `${per} KiB`]);
    }
    const latency = await latencyRun({
      server: hatch,
      database: db.name,
      authorization: hatch.authorization,
      clients: Number(flags.clients),
      rate: Number(flags.rate),
      seconds: Number(flags.seconds),
      readerThreads: 2,
      to: "chat",
      bodies: Array.from(
        { length: 100 },
        (_, i) =>
          new TextEncoder().encode(JSON.stringify({ to: `Bench customer ${i}`, content: "hello" })),
      ),
    });
    for (const r of latency) {
      if (r.figure.startsWith("POST→SSE") || r.figure.startsWith("pairs missing")) {
        rows.push([kind, `${conns.length} + ${flags.clients}`, r.figure, r.value]);
      }
    }
  } finally {
    for (const c of conns) {
      try {
        c.close();
      } catch { /* gone */ }
    }
    await hatch.stop();
    await db.drop();
  }
}
console.log("");
printTable(["server", "streams", "RSS", "per stream"], rows);
