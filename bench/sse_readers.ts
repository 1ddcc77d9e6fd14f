// The load generator's SSE clients, run in worker threads: with hundreds of streams, reading
// them on the thread that also sends would add the readers' own queueing to every latency
// measured. Each worker opens its share of streams on raw TCP and keeps, per message id, the
// times (ms since the epoch, high resolution) at which its streams read the INSERT frame.
//
// The main thread drives the workers through `startReaders()`; this file is also the worker.

// A message_update INSERT frame's data has these two fields side by side (the server writes
// type, conversation_id, action, message_id… in that order), so finding this finds the id.
const INSERT_KEY = '"action":"INSERT","message_id":"';

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
    // The end of the previous read, in case a frame was split between two reads.
    let carry = "";
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      const at = performance.timeOrigin + performance.now();
      bytes += n;
      reads++;
      if (head === null && !onInsert) continue;
      let text = latin1.decode(buf.subarray(0, n));
      if (head !== null) {
        head += text;
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) continue;
        const status = head.slice(0, head.indexOf("\r\n"));
        if (!/^HTTP\/1\.1 200 /.test(status)) throw new Error(`GET /api/events: ${status}`);
        text = head.slice(end + 4);
        head = null;
        resolveConnected();
      }
      if (!onInsert) continue;
      // Chunk sizes sit only between the server's writes, which are whole frames, so a frame's
      // text is contiguous in the stream whether or not it is chunked.
      const stream = carry + text;
      let from = 0;
      for (let i = stream.indexOf(INSERT_KEY); i >= 0; i = stream.indexOf(INSERT_KEY, from)) {
        const idStart = i + INSERT_KEY.length;
        if (idStart + 36 > stream.length) break;
        onInsert(stream.slice(idStart, idStart + 36), at);
        from = idStart + 36;
      }
      carry = stream.slice(Math.max(from, stream.length - INSERT_KEY.length - 35));
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
