// What bench/realtime.ts's latency and throughput runs share: the run's settings, its table rows,
// sends on keep-alive raw TCP connections (bench/raw_http.ts) with message ids found by indexOf
// rather than JSON parsing, and the figures of the sends' answers and of the SSE clients' reads.
import type { ReadTotals } from "./sse_readers.ts";
import { RawHttpPool } from "./raw_http.ts";
import type { Server } from "./realtime_server.ts";
import { p50p99 } from "./_shared.ts";

/** What a run needs: the server, its database, the load's shape and the request bodies. */
export interface RunSettings {
  server: Server;
  /** The bench database's name (its PostgreSQL backends' CPU is counted). */
  database: string;
  authorization: string;
  clients: number;
  seconds: number;
  readerThreads: number;
  /** --to: chat or sms, for the run's heading. */
  to: string;
  /** One JSON body per recipient, sent in turn. */
  bodies: Uint8Array[];
}

/** One line of the table printed at the end. */
export interface Row {
  run: string;
  figure: string;
  value: string;
}

/** The keep-alive connections sends go out on (bench/raw_http.ts). */
export function sender(settings: RunSettings): RawHttpPool {
  return new RawHttpPool(settings.server.url, {
    "content-type": "application/json",
    authorization: settings.authorization,
  });
}

/** How one send was answered. */
export interface SendResult {
  status: number;
  messageId?: string;
  /** Milliseconds from just before the POST to the answer's body. */
  ms: number;
}

const MESSAGE_KEY = '"message_id":"';

/** POSTs one send; with `extract`, finds the message id in the answer. */
export async function send(
  http: RawHttpPool,
  body: Uint8Array,
  extract: boolean,
): Promise<SendResult> {
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

/** The answers other than 202, counted by status. */
export function statusSummary(results: SendResult[]): string {
  const byStatus = new Map<number, number>();
  for (const r of results) {
    if (r.status !== 202) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  }
  if (!byStatus.size) return "no errors";
  return [...byStatus].map(([s, n]) => `${n} × ${s === 0 ? "network error" : s}`).join(", ");
}

/** The accepted sends' answer times, ascending. */
export function sortedMs(results: SendResult[]): Float64Array {
  return Float64Array.from(results.filter((r) => r.status === 202).map((r) => r.ms)).sort();
}

/** The SSE clients' reads between two totals: per second, per client, and bytes per read. */
export function readRate(
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

/** The rows on the POST answers: their p50 / p99, and the server's own handling when logged. */
export function answerRows(
  run: string,
  post: Float64Array,
  timing: { server: Server; since: number },
): Row[] {
  const { server, since } = timing;
  return [
    {
      run,
      figure: "POST answer p50 / p99",
      value: p50p99(post),
    },
    ...(server.handling
      ? [{
        run,
        figure: "server handling p50 / p99 (its log)",
        value: server.handling(since, performance.now()),
      }]
      : []),
  ];
}
