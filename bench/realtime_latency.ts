// The latency run of bench/realtime.ts.
//
// latency: --clients SSE clients (default 500) connected to GET /api/events; sends at a fixed
// --rate (open loop: a slow answer does not delay the next send) for --seconds; for every
// (client, message) pair, the time from just before the POST to that client reading the
// message_update INSERT frame for the message_id the POST returned; and, per message, when
// its first client had it (the server's part) and how long after that its last one did (the
// fan-out's and the readers' part).
import { startReaders } from "./sse_readers.ts";
import type { RawHttpPool } from "./raw_http.ts";
import { ms, p50p99, percentile } from "./_shared.ts";
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

/** Sends `total` messages at `rate` (open loop); each with the time just before its POST. */
async function sendAtRate(
  http: RawHttpPool,
  bodies: Uint8Array[],
  { rate, total }: { rate: number; total: number },
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

/** Runs the latency measurement and returns its rows of the table. */
export async function latencyRun(settings: RunSettings & { rate: number }): Promise<Row[]> {
  const { server, database, clients, rate, seconds, bodies } = settings;
  console.log(
    `\nLatency: ${clients} SSE clients, ${rate} sends/s for ${seconds} s to ${settings.to} recipients`,
  );
  const sse = await startReaders({
    url: server.url,
    authorization: settings.authorization,
    count: clients,
    workers: settings.readerThreads,
    record: true,
  });
  const http = sender(settings);
  // A warm-up second at the same rate, not counted: V8 compiles the hot paths and the pool
  // opens its connections, which would otherwise land on the first measured sends.
  const warmUp = await Promise.all(
    (await sendAtRate(http, bodies, { rate, total: rate })).map((s) => s.result),
  );
  const before = cpuSnapshot(server.pid, database);
  const readsBefore = await sse.totals();
  const total = rate * seconds;
  const start = performance.now();
  const sent = await sendAtRate(http, bodies, { rate, total });
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
  // Per message: when its first client had it (the server's part: the send, the horizon, the
  // hub's read) and how long after that its last one did (the fan-out and the readers).
  const firsts: number[] = [];
  const spreads: number[] = [];
  let missing = 0;
  results.forEach((r, i) => {
    if (!r.messageId) return;
    const list = arrivals.get(r.messageId) ?? [];
    missing += clients - list.length;
    for (const at of list) latencies.push(at - sent[i].t0);
    if (!list.length) return;
    const first = Math.min(...list);
    firsts.push(first - sent[i].t0);
    spreads.push(Math.max(...list) - first);
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
    ...answerRows(run, post, { server, since: before.at }),
    {
      run,
      figure: "POST→SSE p50 / p90 / p99 / max",
      value: `${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 90))} / ${
        ms(percentile(sorted, 99))
      } / ${ms(sorted[sorted.length - 1])} ms over ${sorted.length.toLocaleString("en")} pairs`,
    },
    {
      run,
      figure: "POST→first client; first→last client p50 / p99",
      value: `${p50p99(Float64Array.from(firsts).sort())}; ${
        p50p99(Float64Array.from(spreads).sort())
      }`,
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
