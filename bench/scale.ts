// How list and thread pages scale with the number of messages, and the team inbox's views
// (their first pages and their counts) with the number of conversations.
//
//   deno run -A bench/scale.ts [--sizes 10000,1000000,10000000] [--conversations 1000]
//     [--iterations 1000] [--server-flags="--v8-flags=…"] [--database-url postgres://…/postgres]
//     [--keep]
//
// Creates one database per size on the server (hatch_bench_<ts>_<size>), migrates it and
// fills it with bulk INSERT … SELECT generate_series, the event triggers off during the load
// (10M messages take ~8 minutes and a few GB of disk; --sizes 10000,1000000 leaves them out).
// Messages spread over the conversations with a skew (a few busy threads, a long tail), like a
// real inbox, so older thread pages exist at every size.
// Thread pages are sampled from threads with a full page (or two, for an older page), so each
// size returns the same rows and only the table size differs.
// Then it times the services the API calls, in this process, one query at a time, and the same
// pages through HTTP from a Hatch per size (bench/scale_http.ts; --server-flags passes flags to
// its `deno run`), the sizes taking turns. Drops the databases at the end unless --keep.
import { connect, type Sql, type Value } from "@/lib/db/connect.ts";
import { migrate } from "@/lib/db/migrate.ts";
import { encodeCursor } from "@/lib/db/cursor.ts";
import { listConversations } from "@/lib/conversations/service.ts";
import { listMessages } from "@/lib/messages/service.ts";
import {
  type BenchDatabase,
  benchDatabase,
  benchFlags,
  machine,
  ms,
  percentile,
  printTable,
} from "./_shared.ts";
import { fill, STEP_SECONDS } from "./scale_fill.ts";
import { fillViews, VIEW_QUERIES, type ViewContext, viewRunner } from "./scale_views.ts";
import {
  HTTP_QUERIES,
  type HttpQuery,
  httpRunner,
  type HttpTarget,
  type Samples,
  startTarget,
  stopTarget,
} from "./scale_http.ts";

const flags = benchFlags({
  sizes: { type: "string", default: "10000,1000000,10000000" },
  conversations: { type: "string", default: "1000" },
  iterations: { type: "string", default: "1000" },
  "server-flags": { type: "string", default: "" },
  keep: { type: "boolean", default: false },
});

const sizes = flags.sizes.split(",").map((s) => Number(s.trim().replace(/_/g, "")));
const conversations = Number(flags.conversations);
const iterations = Number(flags.iterations);
if (
  sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(conversations) ||
  conversations < 1 || !Number.isInteger(iterations) || iterations < 1
) {
  console.error("--sizes, --conversations and --iterations take positive integers");
  Deno.exit(2);
}
sizes.sort((a, b) => a - b);
const PAGE = 50;
const WARMUP = 100;

/** The queries measured, in the order printed. */
const QUERIES = [
  "conversations, first page",
  "conversations, deeper page",
  "thread, newest page",
  "thread, older page",
  ...VIEW_QUERIES,
  ...HTTP_QUERIES,
] as const;
type Query = (typeof QUERIES)[number];

interface Figure {
  size: number;
  query: Query;
  p50: number;
  p99: number;
  rows: number;
}

// A small, repeatable generator, so every size samples the same way.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function sample(sql: Sql): Promise<Samples> {
  const random = rng(42);
  const convs = await sql<{ id: string; at: Date; n: number }[]>`
    select id, last_message_at as at, message_count as n
    from conversations order by last_message_at desc, id desc`;
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  // "Deeper": anywhere past the first two pages, with a full page still to come.
  const deep = convs.slice(2 * PAGE, Math.max(2 * PAGE + 1, convs.length - PAGE));
  const deepCursors = Array.from({ length: iterations }, () => {
    const c = pick(deep.length ? deep : convs);
    return encodeCursor(c.at, c.id);
  });
  // Threads with at least a full page, so every size returns the same number of rows.
  const full = convs.filter((c) => c.n >= PAGE);
  const threads = Array.from({ length: iterations }, () => pick(full.length ? full : convs).id);
  // An older page: a cursor somewhere inside a thread that has a full page on either side.
  const long = convs.filter((c) => c.n >= 2 * PAGE);
  const olderPages: Samples["olderPages"] = [];
  for (let i = 0; i < iterations && long.length; i++) {
    const c = pick(long);
    const offset = PAGE + Math.floor(random() * (c.n - 2 * PAGE + 1));
    const [m] = await sql<{ created_at: Date; id: string }[]>`
      select created_at, id from messages where conversation_id = ${c.id}
      order by created_at desc, id desc offset ${offset} limit 1`;
    olderPages.push({ conversation: c.id, cursor: encodeCursor(m.created_at, m.id) });
  }
  return { deepCursors, threads, olderPages };
}

/** One size's database, its pool and what its queries run with. */
interface Sized {
  size: number;
  sql: Sql;
  samples: Samples;
  views?: ViewContext;
  http?: HttpTarget;
}

function runner(d: Sized, query: Query): ((i: number) => Promise<number>) | undefined {
  const { sql, samples: s } = d;
  switch (query) {
    case "conversations, first page":
      return async () => (await listConversations(sql, { limit: PAGE })).conversations.length;
    case "conversations, deeper page":
      return async (i) =>
        (await listConversations(sql, { limit: PAGE, before: s.deepCursors[i % iterations] }))
          .conversations.length;
    case "thread, newest page":
      return async (i) =>
        (await listMessages(sql, s.threads[i % iterations], { limit: PAGE })).messages.length;
    case "thread, older page":
      if (!s.olderPages.length) return undefined;
      return async (i) => {
        const p = s.olderPages[i % s.olderPages.length];
        return (await listMessages(sql, p.conversation, { limit: PAGE, before: p.cursor }))
          .messages.length;
      };
    default:
      if ((HTTP_QUERIES as readonly string[]).includes(query)) {
        return d.http && httpRunner(d.http, query as HttpQuery, s, PAGE);
      }
      return d.views && viewRunner(sql, query, d.views);
  }
}

/**
 * Times every query at every size. The sizes take turns run by run, so a burst of load from
 * anything else on the machine lands on all sizes alike instead of skewing one of them.
 */
async function measure(all: Sized[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const query of QUERIES) {
    const runs = all.map((d) => ({ d, run: runner(d, query) }));
    for (const { d, run } of runs) {
      if (!run) {
        console.log(
          `  ${d.size.toLocaleString("en")}, ${query}: skipped (no thread has ${
            2 * PAGE
          }+ messages)`,
        );
      } else for (let i = 0; i < WARMUP; i++) await run(i);
    }
    const times = runs.map(() => new Float64Array(iterations));
    const rows = runs.map(() => 0);
    for (let i = 0; i < iterations; i++) {
      for (let k = 0; k < runs.length; k++) {
        const run = runs[k].run;
        if (!run) continue;
        const t0 = performance.now();
        rows[k] += await run(i);
        times[k][i] = performance.now() - t0;
      }
    }
    runs.forEach(({ d, run }, k) => {
      if (!run) return;
      const sorted = times[k].sort();
      figures.push({
        size: d.size,
        query,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        rows: rows[k] / iterations,
      });
    });
  }
  return figures;
}

/** Runs each query once through a pool that records its SQL, then EXPLAINs that SQL. */
async function explain(url: string): Promise<void> {
  let captured: { text: string; params: unknown[] }[] = [];
  const traced = connect(url, {
    max: 1,
    statementTimeoutMs: 0,
    onQuery: (text, params) => captured.push({ text, params }),
  });
  try {
    const s = await sample(traced);
    const calls: [Query, () => Promise<unknown>][] = [
      ["conversations, first page", () => listConversations(traced, { limit: PAGE })],
      [
        "conversations, deeper page",
        () => listConversations(traced, { limit: PAGE, before: s.deepCursors[0] }),
      ],
      ["thread, newest page", () => listMessages(traced, s.threads[0], { limit: PAGE })],
    ];
    if (s.olderPages.length) {
      const p = s.olderPages[0];
      calls.push([
        "thread, older page",
        () => listMessages(traced, p.conversation, { limit: PAGE, before: p.cursor }),
      ]);
    }
    for (const [query, call] of calls) {
      captured = [];
      await call();
      // The page's own query is the last one the service sent (a thread checks its
      // conversation exists first).
      const q = captured[captured.length - 1];
      const plan = await traced.unsafe(
        `explain (analyze, buffers, costs off, timing off) ${q.text}`,
        q.params as Value[],
      );
      console.log(`\n  ${query}:`);
      for (const row of plan) {
        const line = String(row["QUERY PLAN"]);
        if (/^\s*Planning:?$/.test(line)) continue;
        console.log(`    ${line}`);
      }
    }
  } finally {
    await traced.end();
  }
}

console.log(`Hatch scale benchmark — ${machine()}`);
console.log(
  `sizes ${sizes.map((n) => n.toLocaleString("en")).join(", ")} messages over ` +
    `${conversations.toLocaleString("en")} conversations; ${iterations} timed runs per query ` +
    `after ${WARMUP} warm-up runs; page size ${PAGE}`,
);
const at = Date.now();
const dbs: BenchDatabase[] = [];
const sized: Sized[] = [];
try {
  for (const size of sizes) {
    const db = await benchDatabase(flags["database-url"], String(size), at);
    dbs.push(db);
    // The load runs long statements; the timed queries are short either way.
    const sql = connect(db.url, { max: 1, statementTimeoutMs: 0 });
    const d: Sized = { size, sql, samples: { deepCursors: [], threads: [], olderPages: [] } };
    sized.push(d);
    console.log(
      `\nFilling ${db.name} on ${new URL(db.url).host} with ${size.toLocaleString("en")} messages`,
    );
    await migrate(sql, db.url);
    // Every size ends now, one message every STEP_SECONDS before it.
    await fill(sql, {
      from: 1,
      to: size,
      base: new Date(at - size * STEP_SECONDS * 1000),
      conversations,
    });
    d.views = await fillViews(sql);
    const [stats] = await sql<{ convs: number; busiest: number; median: number }[]>`
      select count(*)::int as convs, max(message_count) as busiest,
             (percentile_disc(0.5) within group (order by message_count))::int as median
      from conversations`;
    console.log(
      `  ${stats.convs} conversations; messages per conversation: median ${stats.median}, ` +
        `busiest ${stats.busiest}`,
    );
  }
  for (const d of sized) d.samples = await sample(d.sql);
  for (const [i, d] of sized.entries()) {
    d.http = await startTarget(dbs[i].url, flags["server-flags"]);
  }
  const figures = await measure(sized);

  console.log(
    "\nLatency of one page, through the services (the driver included) and through HTTP\n",
  );
  printTable(
    ["messages", "query", "rows", "p50 ms", "p99 ms"],
    [...figures].sort((a, b) => a.size - b.size).map((f) => [
      f.size.toLocaleString("en"),
      f.query,
      f.rows.toFixed(0),
      ms(f.p50),
      ms(f.p99),
    ]),
  );

  const smallest = sizes[0];
  const largest = sizes[sizes.length - 1];
  if (sizes.length > 1) {
    console.log(
      `\np99 at ${largest.toLocaleString("en")} against ${smallest.toLocaleString("en")} ` +
        `(target: within 2×)\n`,
    );
    const rows: string[][] = [];
    for (const query of QUERIES) {
      const a = figures.find((f) => f.size === smallest && f.query === query);
      const b = figures.find((f) => f.size === largest && f.query === query);
      if (!a || !b) continue;
      const ratio = b.p99 / a.p99;
      rows.push([query, ms(a.p99), ms(b.p99), `${ratio.toFixed(2)}×`, ratio <= 2 ? "yes" : "NO"]);
    }
    printTable(["query", `p99 ${smallest}`, `p99 ${largest}`, "ratio", "within 2×"], rows);
  }

  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) at ${largest.toLocaleString("en")} messages`);
  await explain(dbs[dbs.length - 1].url);
} finally {
  for (const d of sized) {
    if (d.http) await stopTarget(d.http);
    await d.sql.end();
  }
  for (const db of dbs) {
    if (flags.keep) console.log(`Kept database ${db.name}`);
    else await db.drop();
  }
}
