// The throughput run of bench/realtime.ts.
//
// throughput: --clients SSE clients (default 100) connected and reading; --concurrency
// requests in flight on keep-alive connections for --seconds; accepted sends (202) per second.
// With --send-rate N the sends are paced to N a second (open loop, still at most --concurrency
// in flight) instead of as fast as the answers come. With the worker on, the delivery probe
// (bench/realtime_delivery.ts) adds delivered per second, the backlog and its drain time.
import { startReaders } from "./sse_readers.ts";
import { backlogSlope, type DeliveryProbe, type DeliverySample } from "./realtime_delivery.ts";
import { cpuReport, cpuSnapshot } from "./realtime_cpu.ts";
import {
  answerRows,
  readRate,
  type Row,
  type RunSettings,
  send,
  sender,
  type SendResult,
  sortedMs,
  statusSummary,
} from "./realtime_sends.ts";

/** Runs the throughput measurement and returns its rows of the table. */
export async function throughputRun(
  settings: RunSettings & {
    concurrency: number;
    /** Sends per second, paced; 0 sends as fast as the answers come. */
    sendRate: number;
    /** With the worker on: the run database's delivery counts. */
    delivery?: DeliveryProbe;
    /** How long to wait for the backlog to drain after the sends. */
    drainLimitSeconds: number;
  },
): Promise<Row[]> {
  const { server, database, clients, concurrency, seconds, bodies, sendRate, delivery } = settings;
  console.log(
    `\nThroughput: ${clients} SSE clients reading, ${concurrency} requests in flight${
      sendRate ? ` (paced to ${sendRate}/s)` : ""
    } for ${seconds} s to ${settings.to} recipients${delivery ? ", worker on" : ""}`,
  );
  const sse = await startReaders({
    url: server.url,
    authorization: settings.authorization,
    count: clients,
    workers: settings.readerThreads,
    record: false,
  });
  const http = sender(settings);
  let next = 0;
  const flood = async (forMs: number) => {
    const results: SendResult[] = [];
    const begin = performance.now();
    const end = begin + forMs;
    let slot = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        if (sendRate) {
          // Open loop: each send has its slot on the clock, whoever is free takes the next.
          const due = begin + (slot++ * 1000) / sendRate;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          if (performance.now() >= end) break;
        }
        results.push(await send(http, bodies[next++ % bodies.length], false));
      }
    }));
    return results;
  };
  await flood(2000); // warm-up, not counted (see latencyRun in bench/realtime_latency.ts)
  const before = cpuSnapshot(server.pid, database);
  const readsBefore = await sse.totals();
  const deliveredBefore = await delivery?.sample();
  const workBefore = await delivery?.work();
  const start = performance.now();
  const results = await flood(seconds * 1000);
  const elapsed = (performance.now() - start) / 1000;
  const after = cpuSnapshot(server.pid, database);
  const readsAfter = await sse.totals();
  const deliveredAfter = await delivery?.sample();
  const drainStart = performance.now();
  const drained = await delivery?.drain(settings.drainLimitSeconds * 1000);
  const drainSeconds = (performance.now() - drainStart) / 1000;
  // Let the readers catch up before their byte counts are read (and backends report commits).
  await new Promise((r) => setTimeout(r, 1000));
  const work = workBefore && await delivery?.work(workBefore);
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
    ...(delivery && deliveredBefore && deliveredAfter && drained
      ? deliveryRows(run, {
        before: deliveredBefore,
        after: deliveredAfter,
        drained,
        drainSeconds,
        samples: delivery.since(deliveredBefore.at).filter((s) => s.at <= deliveredAfter.at),
      })
      : []),
    ...(work && workBefore
      ? [{
        run,
        figure: "PostgreSQL per message sent (drain included)",
        value: `${(work.walBytes / accepted / 1024).toFixed(1)} KiB of WAL (whole cluster), ${
          ((work.commits - workBefore.commits) / accepted).toFixed(2)
        } commits`,
      }]
      : []),
    ...answerRows(run, post, { server, since: before.at }),
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

function deliveryRows(
  run: string,
  d: {
    before: DeliverySample;
    after: DeliverySample;
    drained: DeliverySample;
    drainSeconds: number;
    samples: DeliverySample[];
  },
): Row[] {
  const secs = (d.after.at - d.before.at) / 1000;
  const slope = backlogSlope(d.samples);
  const peak = Math.max(...d.samples.map((s) => s.backlog), d.after.backlog);
  return [
    {
      run,
      figure: "delivered (or failed) during the sends",
      value: `${d.after.done - d.before.done} = ${
        Math.round((d.after.done - d.before.done) / secs)
      }/s`,
    },
    {
      run,
      figure: "backlog at start / end / peak",
      value: `${d.before.backlog} / ${d.after.backlog} / ${peak} (trend ${
        Number.isFinite(slope) ? `${slope >= 0 ? "+" : ""}${Math.round(slope)}` : "–"
      }/s)`,
    },
    {
      run,
      figure: "drain after the sends stopped",
      value: d.drained.backlog === 0
        ? `${d.drainSeconds.toFixed(1)} s (${
          Math.round(d.after.backlog / Math.max(d.drainSeconds, 0.001))
        }/s)`
        : `${d.drained.backlog} still waiting after ${d.drainSeconds.toFixed(0)} s`,
    },
  ];
}
