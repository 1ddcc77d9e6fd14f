// The SSE client of bench/chaos.ts: follows /api/events as a phone would, resuming by
// Last-Event-ID whenever its stream breaks and dropping the stream itself every 7–13 s, and
// counts how many times it received each event id.
import { ANSWER_WITHIN_MS } from "./chaos_sends.ts";

/** A running follower (see `follow`). */
export interface Follower {
  /** How many times each event id was received. */
  seen: Map<number, number>;
  /** The last event id received, where the stream resumes. */
  last: () => number;
  /** Connections answered, and connects not answered within ANSWER_WITHIN_MS. */
  stats: () => { connects: number; slowConnects: number };
  stop: () => Promise<void>;
}

/** Follows /api/events from `after`, resuming by Last-Event-ID; counts every event id seen. */
export function follow(url: string, token: string, after: number): Follower {
  const seen = new Map<number, number>();
  let last = after;
  let stopped = false;
  let connects = 0;
  let slowConnects = 0;
  let controller = new AbortController();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // The client also drops its stream now and then, as a phone does, and resumes by Last-Event-ID.
  const drop = setInterval(() => reader?.cancel().catch(() => {}), 7_000 + Math.random() * 6_000);
  const run = (async () => {
    while (!stopped) {
      controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), ANSWER_WITHIN_MS);
      const started = performance.now();
      try {
        const res = await fetch(`${url}/api/events`, {
          headers: { authorization: `Bearer ${token}`, "last-event-id": String(last) },
          signal: controller.signal,
        });
        clearTimeout(timer);
        connects++;
        if (!res.ok) {
          await res.body?.cancel();
          throw new Error(`status ${res.status}`);
        }
        let buffer = "";
        const decoder = new TextDecoder();
        reader = res.body!.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const id = frame.match(/^id: ?(\d+)$/m);
            if (!id) continue;
            const n = Number(id[1]);
            // As a browser does, resume from the last id received, not the highest: the stream
            // goes in commit order, so a lower id can follow a higher one.
            last = n;
            // `connected` and `keepalive` carry the stream's position, not an event of their own.
            if (/^event: ?(connected|keepalive)$/m.test(frame)) continue;
            seen.set(n, (seen.get(n) ?? 0) + 1);
          }
        }
      } catch {
        clearTimeout(timer);
        if (performance.now() - started >= ANSWER_WITHIN_MS && !stopped) slowConnects++;
      }
      // A browser waits for the stream's retry hint; 200 ms keeps the run short.
      if (!stopped) await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    seen,
    last: () => last,
    stats: () => ({ connects, slowConnects }),
    stop: async () => {
      stopped = true;
      clearInterval(drop);
      controller.abort();
      await reader?.cancel().catch(() => {});
      await run;
    },
  };
}
