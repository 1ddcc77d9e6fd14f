// Scale-out: the same load on one Hatch process (API and worker) and on two app processes plus
// one worker process, all on one PostgreSQL, back to back on fresh databases. The sends (SMS via
// the sandbox, no delivery delay) and the SSE clients are split evenly between the app
// processes; every client sees every event, whichever process the send went through.
//
//   deno run -A bench/scaleout.ts [--seconds 20] [--clients 100] [--concurrency 48]
//     [--database-url postgres://…/postgres]
//
// Prints, for each layout, sends accepted per second, messages delivered per second during the
// sends, the backlog at the end, and POST→SSE p50 / p99 over every (client, message) pair; on a
// machine with few cores the ratio between the layouts is the point, not the absolute figures.
import { benchDatabase, benchFlags, machine, ms, percentile, printTable } from "./_shared.ts";
import {
  createAdminToken,
  type Server,
  startHatch,
  startWorkerProcess,
} from "./realtime_server.ts";
import { deliveryProbe } from "./realtime_delivery.ts";
import { RawHttpPool } from "./raw_http.ts";
import { send, type SendResult } from "./realtime_sends.ts";
import { startReaders } from "./sse_readers.ts";

const flags = benchFlags({
  seconds: { type: "string", default: "20" },
  clients: { type: "string", default: "100" },
  concurrency: { type: "string", default: "48" },
});
const seconds = Number(flags.seconds);
const clients = Number(flags.clients);
const concurrency = Number(flags.concurrency);
const env = { HATCH_SANDBOX_DELAY_MS: "0" };

const bodies = Array.from({ length: 1000 }, (_, i) =>
  new TextEncoder().encode(JSON.stringify({
    to: `+1415555${String(1000 + i).padStart(4, "0")}`,
    content: "Hello from the scale-out benchmark",
  })));

async function runLayout(name: string, apps: number, separateWorker: boolean): Promise<string[][]> {
  const db = await benchDatabase(flags["database-url"], "scale");
  const stops: (() => Promise<void>)[] = [];
  try {
    const authorization = `Bearer ${await createAdminToken(db.url)}`;
    const servers: Server[] = [];
    for (let i = 0; i < apps; i++) {
      const s = await startHatch({
        databaseUrl: db.url,
        worker: !separateWorker,
        serverLog: false,
        serverFlags: "",
        extraEnv: env,
      });
      servers.push(s);
      stops.push(s.stop);
    }
    if (separateWorker) stops.push(await startWorkerProcess(db.url, env));
    console.log(`\n${name}: ${clients} SSE clients, ${concurrency} sends in flight, ${seconds} s`);
    const readers = await Promise.all(servers.map((s, i) =>
      startReaders({
        url: s.url,
        authorization,
        count: Math.floor(clients / apps) + (i < clients % apps ? 1 : 0),
        workers: 1,
        record: true,
      })
    ));
    const pools = servers.map((s) =>
      new RawHttpPool(s.url, { "content-type": "application/json", authorization })
    );
    const probe = deliveryProbe(db.url);
    let next = 0;
    const flood = async (forMs: number) => {
      const out: { t0: number; r: SendResult }[] = [];
      const end = performance.now() + forMs;
      await Promise.all(Array.from({ length: concurrency }, async (_, lane) => {
        const pool = pools[lane % pools.length];
        while (performance.now() < end) {
          const t0 = performance.timeOrigin + performance.now();
          out.push({ t0, r: await send(pool, bodies[next++ % bodies.length], true) });
        }
      }));
      return out;
    };
    await flood(2000);
    const before = await probe.sample();
    const start = performance.now();
    const results = await flood(seconds * 1000);
    const elapsed = (performance.now() - start) / 1000;
    const after = await probe.sample();
    await new Promise((r) => setTimeout(r, 3000));
    const arrivals = new Map<string, number[]>();
    for (const r of readers) {
      for (const [id, times] of await r.arrivals()) {
        arrivals.set(id, [...arrivals.get(id) ?? [], ...times]);
      }
    }
    const latencies: number[] = [];
    for (const { t0, r } of results) {
      for (const at of arrivals.get(r.messageId ?? "") ?? []) latencies.push(at - t0);
    }
    const sorted = Float64Array.from(latencies).sort();
    const accepted = results.filter((x) => x.r.status === 202).length;
    await probe.close();
    for (const r of readers) await r.close();
    for (const p of pools) p.close();
    return [
      [name, "sends accepted", `${Math.round(accepted / elapsed)}/s`],
      [name, "delivered during the sends", `${Math.round((after.done - before.done) / elapsed)}/s`],
      [name, "backlog at start / end", `${before.backlog} / ${after.backlog}`],
      [
        name,
        "POST→SSE p50 / p99",
        `${ms(percentile(sorted, 50))} / ${
          ms(percentile(sorted, 99))
        } ms over ${sorted.length} pairs`,
      ],
    ];
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await db.drop();
  }
}

console.log(`Hatch scale-out benchmark — ${machine()}`);
const rows = [
  ...await runLayout("one process (API + worker)", 1, false),
  ...await runLayout("two app processes + one worker process", 2, true),
];
console.log("");
printTable(["layout", "figure", "value"], rows);
