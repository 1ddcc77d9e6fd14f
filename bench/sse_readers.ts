// The load generator's SSE clients, run in worker threads: with hundreds of streams, reading
// them on the thread that also sends would add the readers' own queueing to every latency
// measured. Each worker opens its share of streams on raw TCP and keeps, per message id, the
// times (ms since the epoch, high resolution) at which its streams read the INSERT frame.
//
// The main thread drives the workers through `startReaders()`; this file is also the worker.

// A message_update INSERT frame's data has these two fields side by side (the server writes
// type, conversation_id, action, message_id… in that order), so finding this finds the id.
const INSERT_KEY = '"action":"INSERT","message_id":"';

const KEY = new TextEncoder().encode(INSERT_KEY);
const ANCHOR = KEY.indexOf("I".charCodeAt(0));
const MATCH = KEY.length + 36;

// Reports each whole match in `bytes` that starts before `startsBefore`; answers where the last
// one ended (0 for none).
function scan(
  bytes: Uint8Array,
  startsBefore: number,
  at: number,
  report: (id: string, at: number) => void,
): number {
  let done = 0;
  for (
    let i = bytes.indexOf(KEY[ANCHOR], ANCHOR);
    i >= 0;
    i = bytes.indexOf(KEY[ANCHOR], i + 1)
  ) {
    const start = i - ANCHOR;
    if (start >= startsBefore) break;
    if (start + MATCH > bytes.length) break;
    let k = 0;
    while (k < KEY.length && bytes[start + k] === KEY[k]) k++;
    if (k < KEY.length) continue;
    report(latin1.decode(bytes.subarray(start + KEY.length, start + MATCH)), at);
    done = start + MATCH;
  }
  return done;
}

/**
 * Finds INSERT frames in a stream's reads without decoding them: the key's one upper-case "I"
 * is rare in event JSON, so the native byte search jumps between candidates and only their
 * 36-byte ids become strings. A match split between two reads is found in a small window of
 * the previous read's tail and the next read's head.
 */
function insertFinder() {
  let carry = new Uint8Array(0);
  return (chunk: Uint8Array, at: number, report: (id: string, at: number) => void) => {
    if (carry.length) {
      const window = new Uint8Array(carry.length + Math.min(chunk.length, MATCH));
      window.set(carry);
      window.set(chunk.subarray(0, window.length - carry.length), carry.length);
      scan(window, carry.length, at, report);
    }
    const done = scan(chunk, Infinity, at, report);
    carry = chunk.slice(Math.max(done, chunk.length - MATCH + 1));
  };
}

/** One open event stream. */
interface Stream {
  /** Resolves once the response head arrived: from then on the client gets every event. */
  connected: Promise<void>;
  /** Bytes read so far. */
  bytes(): number;
  /** Reads (chunks) so far: what each event costs the client is mostly per read. */
  reads(): number;
  /** Whether the server ended the stream before we closed it. */
  endedEarly(): boolean;
  close(): void;
}

// The event data is ASCII (ids, statuses, numbers), and windows-1252 maps every byte to one
// character: the cheapest decoding there is.
const latin1 = new TextDecoder("windows-1252");

/**
 * Opens GET /api/events on a raw TCP connection: fetch's stream machinery costs several times
 * more CPU per chunk, and with hundreds of streams on two cores the client must be cheap.
 * With `onInsert`, each message_update INSERT is reported with the time its chunk was read;
 * without, chunks are only counted, which is all the throughput run needs from its readers.
 */
function openStream(
  base: URL,
  authorization: string,
  onInsert?: (messageId: string, at: number) => void,
): Stream {
  let bytes = 0;
  let reads = 0;
  let closed = false;
  let ended = false;
  let conn: Deno.TcpConn | undefined;
  let resolveConnected!: () => void;
  let rejectConnected!: (e: unknown) => void;
  const connected = new Promise<void>((res, rej) => {
    resolveConnected = res;
    rejectConnected = rej;
  });
  (async () => {
    conn = await Deno.connect({ hostname: base.hostname, port: Number(base.port) });
    await conn.write(new TextEncoder().encode(
      `GET /api/events HTTP/1.1\r\nhost: ${base.host}\r\naccept: text/event-stream\r\n` +
        `authorization: ${authorization}\r\n\r\n`,
    ));
    const buf = new Uint8Array(256 * 1024);
    let head: string | null = "";
    const findInserts = insertFinder();
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      const at = performance.timeOrigin + performance.now();
      bytes += n;
      reads++;
      if (head === null && !onInsert) continue;
      let body = buf.subarray(0, n);
      if (head !== null) {
        head += latin1.decode(buf.subarray(0, n));
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) continue;
        const status = head.slice(0, head.indexOf("\r\n"));
        if (!/^HTTP\/1\.1 200 /.test(status)) throw new Error(`GET /api/events: ${status}`);
        // windows-1252 gives one character per byte, so the head's length is its byte count.
        body = buf.subarray(n - (head.length - end - 4), n);
        head = null;
        resolveConnected();
      }
      if (onInsert) findInserts(body, at, onInsert);
    }
    if (!closed) ended = true;
  })().catch((e) => {
    if (!closed) {
      ended = true;
      rejectConnected(e);
    }
  });
  return {
    connected,
    bytes: () => bytes,
    reads: () => reads,
    endedEarly: () => ended,
    close: () => {
      closed = true;
      try {
        conn?.close();
      } catch { /* already closed */ }
    },
  };
}

/** What the readers have read so far, over all workers. */
export interface ReadTotals {
  reads: number;
  bytes: number;
  /** Streams the server ended before we closed them. */
  endedEarly: number;
  /** INSERT frames recorded (with `record`). */
  arrivals: number;
}

type Request =
  | { type: "open"; url: string; authorization: string; count: number; record: boolean }
  | { type: "totals" }
  | { type: "arrivals" }
  | { type: "close" };

// ---------------------------------------------------------------------------------------------
// Inside a worker.

function serve(scope: { onmessage: unknown; postMessage(m: unknown): void }): void {
  const streams: Stream[] = [];
  const arrivals = new Map<string, number[]>();
  let recorded = 0;
  const record = (id: string, at: number) => {
    recorded++;
    const list = arrivals.get(id);
    if (list) list.push(at);
    else arrivals.set(id, [at]);
  };
  scope.onmessage = async (e: MessageEvent<{ seq: number; request: Request }>) => {
    const { seq, request } = e.data;
    let reply: unknown = null;
    if (request.type === "open") {
      const base = new URL(request.url);
      // In batches, so the server's accept queue is not flooded by hundreds at once.
      for (let i = 0; i < request.count; i += 50) {
        const batch = Array.from(
          { length: Math.min(50, request.count - i) },
          () => openStream(base, request.authorization, request.record ? record : undefined),
        );
        streams.push(...batch);
        await Promise.all(batch.map((s) => s.connected));
      }
    } else if (request.type === "totals") {
      reply = {
        reads: streams.reduce((n, s) => n + s.reads(), 0),
        bytes: streams.reduce((n, s) => n + s.bytes(), 0),
        endedEarly: streams.filter((s) => s.endedEarly()).length,
        arrivals: recorded,
      } satisfies ReadTotals;
    } else if (request.type === "arrivals") {
      reply = Object.fromEntries(arrivals);
    } else {
      for (const s of streams) s.close();
    }
    scope.postMessage({ seq, reply });
  };
}

// ---------------------------------------------------------------------------------------------
// On the main thread.

/** SSE readers spread over worker threads. */
export interface Readers {
  totals(): Promise<ReadTotals>;
  /** Every recorded INSERT frame's read times by message id, over all workers. */
  arrivals(): Promise<Map<string, number[]>>;
  close(): Promise<void>;
}

/**
 * Opens `count` streams to `url`'s /api/events over `workers` threads; with `record`, every
 * message_update INSERT frame is recorded with the time it was read.
 */
export async function startReaders(
  options: { url: string; authorization: string; count: number; workers: number; record: boolean },
): Promise<Readers> {
  const workers = Array.from(
    { length: Math.min(options.workers, options.count) },
    () => new Worker(import.meta.url, { type: "module" }),
  );
  let seq = 0;
  const waiting = new Map<number, (reply: unknown) => void>();
  for (const w of workers) {
    w.onmessage = (e: MessageEvent<{ seq: number; reply: unknown }>) => {
      waiting.get(e.data.seq)?.(e.data.reply);
      waiting.delete(e.data.seq);
    };
  }
  const ask = <T>(w: Worker, request: Request) =>
    new Promise<T>((resolve) => {
      const n = ++seq;
      waiting.set(n, resolve as (reply: unknown) => void);
      w.postMessage({ seq: n, request });
    });
  const all = <T>(request: Request) => Promise.all(workers.map((w) => ask<T>(w, request)));
  const t0 = performance.now();
  await Promise.all(workers.map((w, i) => {
    const count = Math.floor(options.count / workers.length) +
      (i < options.count % workers.length ? 1 : 0);
    return ask(w, { ...options, type: "open", count });
  }));
  console.log(
    `${options.count} SSE clients connected in ${Math.round(performance.now() - t0)} ms ` +
      `(read by ${workers.length} worker threads)`,
  );
  return {
    async totals() {
      const parts = await all<ReadTotals>({ type: "totals" });
      return parts.reduce((a, b) => ({
        reads: a.reads + b.reads,
        bytes: a.bytes + b.bytes,
        endedEarly: a.endedEarly + b.endedEarly,
        arrivals: a.arrivals + b.arrivals,
      }));
    },
    async arrivals() {
      const merged = new Map<string, number[]>();
      for (const part of await all<Record<string, number[]>>({ type: "arrivals" })) {
        for (const [id, times] of Object.entries(part)) {
          const list = merged.get(id);
          if (list) list.push(...times);
          else merged.set(id, times);
        }
      }
      return merged;
    },
    async close() {
      await all({ type: "close" });
      for (const w of workers) w.terminate();
    },
  };
}

// Only a worker's global scope has WorkerGlobalScope (the DOM typings do not know it).
if ("WorkerGlobalScope" in globalThis) serve(globalThis as unknown as Parameters<typeof serve>[0]);
