// The tabs run of bench/realtime.ts (--tabs N): N simulated inbox tabs follow /api/events and
// decide about each event with the inbox's own rule (requestFor in lib/client/sync.ts), making
// the requests it asks for (a message body the tab has never seen, say), while sends go out at
// --rate. Tab i has the conversation with the i-th recipient open. It prints the requests per
// event per tab (by event type), the same for the rule before events carried the list row and
// the status (every change refetched), and the POST→SSE time of each new message at each tab.
import { conversationId } from "@/lib/conversations/conversation_id.ts";
import { type LiveEvent, requestFor } from "@/lib/client/sync.ts";
import { p50p99 } from "./_shared.ts";
import { cpuReport, cpuSnapshot } from "./realtime_cpu.ts";
import { type Row, type RunSettings, send, sender, type SendResult } from "./realtime_sends.ts";

/** The number the sandbox sends from (HATCH_SANDBOX_NUMBER's default). */
const SANDBOX_NUMBER = "+15005550006";

interface Tally {
  events: number;
  requests: number;
  before: number;
}

class Tab {
  readonly known = new Set<string>();
  readonly tally = new Map<string, Tally>();
  readonly arrivals: { messageId: string; at: number }[] = [];
  #abort = new AbortController();
  #done: Promise<void>;

  constructor(
    readonly url: string,
    readonly authorization: string,
    readonly openId: string,
    ready: () => void,
  ) {
    this.#done = this.#follow(ready).catch(() => {});
  }

  // A raw TCP connection rather than fetch: lean with hundreds of tabs on two shared cores (as
  // bench/sse_readers.ts), with the chunked body decoded here.
  async #follow(ready: () => void): Promise<void> {
    const base = new URL(this.url);
    const conn = await Deno.connect({ hostname: base.hostname, port: Number(base.port) });
    this.#abort.signal.addEventListener("abort", () => conn.close(), { once: true });
    await conn.write(new TextEncoder().encode(
      `GET /api/events HTTP/1.1\r\nhost: ${base.host}\r\naccept: text/event-stream\r\n` +
        `authorization: ${this.authorization}\r\n\r\n`,
    ));
    const decoder = new TextDecoder();
    const buf = new Uint8Array(64 * 1024);
    let raw = ""; // undecoded bytes of the chunked body (ASCII framing)
    let body = ""; // decoded SSE text not yet split into blocks
    let headDone = false;
    let first = true;
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) return;
      raw += decoder.decode(buf.subarray(0, n), { stream: true });
      if (!headDone) {
        const end = raw.indexOf("\r\n\r\n");
        if (end < 0) continue;
        raw = raw.slice(end + 4);
        headDone = true;
      }
      // Chunks: "<hex size>\r\n<data>\r\n"; sizes count bytes, and the data is ASCII JSON.
      for (;;) {
        const eol = raw.indexOf("\r\n");
        if (eol < 0) break;
        const size = parseInt(raw.slice(0, eol), 16);
        if (raw.length < eol + 2 + size + 2) break;
        body += raw.slice(eol + 2, eol + 2 + size);
        raw = raw.slice(eol + 2 + size + 2);
      }
      for (let end = body.indexOf("\n\n"); end >= 0; end = body.indexOf("\n\n")) {
        const block = body.slice(0, end);
        body = body.slice(end + 2);
        if (first) {
          first = false;
          ready();
        }
        const type = /^event: (.*)$/m.exec(block)?.[1] ?? "";
        if (type === "connected" || type === "keepalive") continue;
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (data) this.#event(type, JSON.parse(data));
      }
    }
  }

  #event(type: string, e: LiveEvent): void {
    const at = performance.timeOrigin + performance.now();
    const view = { openId: this.openId, hasMessage: (id: string) => this.known.has(id) };
    const request = requestFor(type, e, view);
    // The rule before events carried what tabs need: every change fetched again.
    const stripped: LiveEvent = {
      conversation_id: e.conversation_id,
      action: e.action,
      message_id: e.message_id,
      email_id: e.email_id,
    };
    const before = requestFor(type, stripped, { ...view, hasMessage: () => false });
    const key = `${type} ${e.action}`;
    const t = this.tally.get(key) ?? { events: 0, requests: 0, before: 0 };
    t.events++;
    if (request) t.requests++;
    if (before) t.before++;
    this.tally.set(key, t);
    if (type === "message_update" && e.action === "INSERT" && e.message_id) {
      this.arrivals.push({ messageId: e.message_id, at });
    }
    if (request) {
      void fetch(`${this.url}${request}`, { headers: { authorization: this.authorization } })
        .then((r) => r.arrayBuffer())
        .then(() => {
          if (e.message_id) this.known.add(e.message_id);
        })
        .catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.#done;
  }
}

/** Runs --tabs N tabs while sending at --rate; returns its rows of the table. */
export async function tabsRun(
  settings: RunSettings & { tabs: number; rate: number; recipients: string[] },
): Promise<Row[]> {
  const { server, database, tabs: count, rate, seconds, bodies, recipients } = settings;
  console.log(`\nTabs: ${count} inbox tabs following events, ${rate} sends/s for ${seconds} s`);
  const tabs: Tab[] = [];
  let connected = 0;
  const progress = setInterval(() => console.log(`${connected} of ${count} tabs connected`), 5000);
  // Opened in groups, as browsers would arrive, rather than all in one instant.
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) =>
        new Promise<void>((ready) => {
          const open = conversationId(SANDBOX_NUMBER, recipients[(i + j) % recipients.length]);
          tabs.push(
            new Tab(server.url, settings.authorization, open, () => {
              connected++;
              ready();
            }),
          );
        })),
    );
  }
  clearInterval(progress);
  const http = sender(settings);
  const before = cpuSnapshot(server.pid, database);
  const sent: { t0: number; result: Promise<SendResult> }[] = [];
  const start = performance.now();
  const total = rate * seconds;
  for (let k = 0; k < total; k++) {
    const due = start + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sent.push({
      t0: performance.timeOrigin + performance.now(),
      result: send(http, bodies[k % bodies.length], true),
    });
  }
  const results = await Promise.all(sent.map((s) => s.result));
  // Status changes follow the sends (the worker); give them a few seconds to arrive.
  await new Promise((r) => setTimeout(r, 3000));
  const after = cpuSnapshot(server.pid, database);
  await Promise.all(tabs.map((t) => t.close()));
  http.close();
  console.log(cpuReport(before, after));

  const postAt = new Map<string, number>();
  results.forEach((r, i) => r.messageId && postAt.set(r.messageId, sent[i].t0));
  const latencies = Float64Array.from(
    tabs.flatMap((t) =>
      t.arrivals.filter((a) => postAt.has(a.messageId)).map((a) => a.at - postAt.get(a.messageId)!)
    ),
  ).sort();
  const sum = new Map<string, Tally>();
  for (const t of tabs) {
    for (const [key, v] of t.tally) {
      const s = sum.get(key) ?? { events: 0, requests: 0, before: 0 };
      s.events += v.events;
      s.requests += v.requests;
      s.before += v.before;
      sum.set(key, s);
    }
  }
  const all = [...sum.values()].reduce(
    (a, b) => ({
      events: a.events + b.events,
      requests: a.requests + b.requests,
      before: a.before + b.before,
    }),
    { events: 0, requests: 0, before: 0 },
  );
  const per = (n: number, events: number) => (events ? n / events : 0).toFixed(3);
  const run = `tabs (${count} tabs, ${rate}/s)`;
  return [
    {
      run,
      figure: "sends accepted",
      value: `${results.filter((r) => r.status === 202).length} of ${total}`,
    },
    ...[...sum].sort().map(([key, v]) => ({
      run,
      figure: `requests per event per tab: ${key}`,
      value: `${per(v.requests, v.events)} (before: ${per(v.before, v.events)}) over ${
        (v.events / count).toFixed(0)
      } events`,
    })),
    {
      run,
      figure: "requests per event per tab, all",
      value: `${per(all.requests, all.events)} (before: ${per(all.before, all.events)})`,
    },
    {
      run,
      figure: "POST→SSE p50 / p99 (each tab, each new message)",
      value: `${p50p99(latencies)} over ${latencies.length} arrivals`,
    },
  ];
}
