// The throughput run of bench/realtime.ts.
//
// throughput: --clients SSE clients (default 100) connected and reading; --concurrency
// requests in flight on keep-alive connections for --seconds; accepted sends (202) per second.
import { startReaders } from "./sse_readers.ts";
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
  settings: RunSettings & { concurrency: number },
): Promise<Row[]> {
  const { server, database, clients, concurrency, seconds, bodies } = settings;
  console.log(
    `\nThroughput: ${clients} SSE clients reading, ${concurrency} requests in flight for ${seconds} s to ${settings.to} recipients`,
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
    const end = performance.now() + forMs;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        results.push(await send(http, bodies[next++ % bodies.length], false));
      }
    }));
    return results;
  };
  await flood(2000); // warm-up, not counted (see latencyRun in bench/realtime_latency.ts)
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
