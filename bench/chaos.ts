// Fault injection: sends through the API while the database is killed and restarted, then checks
// that Hatch kept its promises. Exits 1 when any check fails (CI runs it after the suite).
//
//   deno run -A bench/chaos.ts [--seconds 60] [--rate 20] [--kills 5] [--runs 1]
//
// Starts Hatch as production runs it out of the box (`deno run -A main.ts`: embedded PostgreSQL
// under a data directory of its own, worker on, sandbox providers with no delay). For --seconds
// it sends --rate SMS per second (open loop, each with its own Idempotency-Key) while one SSE
// client follows /api/events, resuming by Last-Event-ID whenever its stream breaks (and it drops
// the stream itself every 7–13 s). At --kills
// random moments the embedded postmaster is killed, alternately with SIGKILL and with SIGINT
// (PostgreSQL's fast shutdown); Hatch's supervisor restarts it. Afterwards:
// - every request was answered (or refused) within 10 s, and no answer was a 500;
// - every send answered 2xx is stored and reaches a final status;
// - every send answered with an error is retried with its key: a retry returns the stored
//   message or sends it now, and no send is stored twice;
// - the SSE client received every event of the run exactly once.
//
// The sends are in bench/chaos_sends.ts, the SSE client in bench/chaos_follow.ts and the checks
// in bench/chaos_checks.ts; this file runs Hatch, the kills and the runs.
import { parseArgs } from "node:util";
import { connect, type Sql } from "@/lib/db/connect.ts";
import { createUser } from "@/lib/auth/users.ts";
import { createApiToken } from "@/lib/auth/tokens.ts";
import { freePort, waitForReady } from "@/lib/net.ts";
import { percentile } from "./_shared.ts";
import { phone, post, type Send } from "./chaos_sends.ts";
import { follow } from "./chaos_follow.ts";
import { checkSends, checkStream, waitFor, withRetries } from "./chaos_checks.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "60" },
    rate: { type: "string", default: "20" },
    kills: { type: "string", default: "5" },
    runs: { type: "string", default: "1" },
    // Where to keep Hatch's log of a failed run.
    "failed-log": { type: "string", default: "" },
  },
});
const SECONDS = Number(flags.seconds);
const RATE = Number(flags.rate);
const KILLS = Number(flags.kills);
const RUNS = Number(flags.runs);
const ROOT = new URL("../", import.meta.url).pathname;

async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const text = await Deno.readTextFile(`${dataDir}/pg/postmaster.pid`).catch(() => "");
  const pid = Number(text.split("\n")[0]);
  return pid > 0 ? pid : undefined;
}

/** Moments (ms from the start) at least 5 s apart, within the run, in random order of kind. */
function killPlan(): { at: number; signal: Deno.Signal }[] {
  const span = SECONDS * 1000 - 6_000;
  const gap = Math.min(5_000, span / Math.max(1, KILLS));
  const slack = span - gap * KILLS;
  const offsets = Array.from({ length: KILLS }, () => Math.random() * slack).sort((a, b) => a - b);
  const signals: Deno.Signal[] = Array.from(
    { length: KILLS },
    (_, i) => i % 2 ? "SIGINT" : "SIGKILL",
  ).sort(() => Math.random() - 0.5);
  return offsets.map((o, i) => ({ at: 3_000 + o + i * gap, signal: signals[i] }));
}

function progress(line: string): void {
  console.error(`  … ${line}`);
}

async function oneRun(run: number): Promise<string[]> {
  const stamp = `${Date.now()}_${run}`;
  const dataDir = `${ROOT}.hatch/chaos-${stamp}`;
  const pgPort = freePort();
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: ROOT,
    env: {
      DATABASE_URL: "",
      POSTGRES_HOST: "",
      HATCH_DATA_DIR: dataDir,
      HATCH_EMBEDDED_PG_PORT: String(pgPort),
      HATCH_PORT: String(port),
      HATCH_HOST: "127.0.0.1",
      HATCH_SANDBOX_DELAY_MS: "0",
      HATCH_SEND_RATE_PER_MINUTE: "100000",
      HATCH_ADMIN_EMAIL: "chaos@hatch.example",
      HATCH_ADMIN_PASSWORD: `chaos-${crypto.randomUUID()}`,
      HATCH_LOG_LEVEL: flags["failed-log"] ? "debug" : "warning",
      HATCH_LOG_FORMAT: "json",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Hatch's log (stdout and stderr) is kept while it runs: in a file with --failed-log (removed
  // when the run passes), else in memory for its first ERROR line.
  const logFile = flags["failed-log"] ? `${flags["failed-log"]}.${run}` : undefined;
  if (logFile) await Deno.writeTextFile(logFile, "");
  let log = "";
  const keep = (stream: ReadableStream<Uint8Array<ArrayBuffer>>) =>
    (async () => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        if (logFile) await Deno.writeTextFile(logFile, text, { append: true });
        else log += text;
      }
    })().catch(() => {});
  const logged = Promise.all([keep(child.stdout), keep(child.stderr)]);
  let exitCode: number | undefined;
  const exited = child.status.then((s) => exitCode = s.code);
  // A Hatch that died mid-run fails the run at once, instead of being retried against for minutes.
  const alive = () => {
    if (exitCode !== undefined) {
      throw new Error(`Hatch exited with code ${exitCode} during the run`);
    }
  };
  const failures: string[] = [];
  let sql: Sql | undefined;
  try {
    if (!await waitForReady(url, 60_000)) throw new Error("Hatch did not become ready");
    const password = (await Deno.readTextFile(`${dataDir}/pg-password`)).trim();
    sql = connect(`postgres://postgres:${password}@127.0.0.1:${pgPort}/hatch`, {
      max: 2,
      statementTimeoutMs: 0,
    });
    const db = sql;
    const [admin] = await db`select id from users where email = 'chaos@hatch.example'`;
    const user = admin ?? await createUser(db, {
      email: "chaos@hatch.example",
      role: "admin",
      password: `chaos-${crypto.randomUUID()}`,
    });
    const { token } = await createApiToken(db, { userId: user.id, name: "chaos" });
    const [{ start }] = await db`
      select coalesce((select id from events order by xid desc, id desc limit 1), 0)::int8 as start`;
    const startId = Number(start);
    const follower = follow(url, token, startId);
    progress(`Hatch ready on ${url}; sending`);

    // Sends, open loop, and kills on their own schedule.
    const sends: Send[] = [];
    const inFlight: Promise<void>[] = [];
    const plan = killPlan();
    const outages: number[] = [];
    const began = performance.now();
    const killing = (async () => {
      for (const kill of plan) {
        const wait = kill.at - (performance.now() - began);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const pid = await postmasterPid(dataDir);
        if (!pid) continue;
        const killedAt = performance.now();
        try {
          Deno.kill(pid, kill.signal);
        } catch { /* already gone */ }
        // Down until a new postmaster answers through Hatch.
        await waitFor(async () => (await postmasterPid(dataDir)) !== pid, 30_000);
        await waitForReady(url, 30_000);
        outages.push(performance.now() - killedAt);
      }
    })();
    const total = Math.round(SECONDS * RATE);
    for (let i = 0; i < total; i++) {
      const due = (i * 1000) / RATE - (performance.now() - began);
      if (due > 0) await new Promise((r) => setTimeout(r, due));
      const send: Send = {
        i,
        key: `chaos-${stamp}-${i}`,
        body: { to: phone(i), content: `chaos ${stamp} #${i}` },
        ms: 0,
        status: 0,
      };
      sends.push(send);
      inFlight.push(post(url, token, send).then((a) => void Object.assign(send, a)));
    }
    await Promise.all(inFlight);
    await killing;
    progress("sends answered; retrying the failed ones");

    // What was answered with an error is retried with its key until it is answered for sure.
    for (const send of sends.filter((s) => s.status < 200 || s.status >= 300)) {
      let tries = 0;
      for (;;) {
        tries++;
        alive();
        const a = await post(url, token, send);
        if ((a.status >= 200 && a.status < 500) || tries >= 60) {
          send.retry = { status: a.status, messageId: a.messageId, tries };
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }

    alive();
    progress("checking");
    const checked = await checkSends(db, { stamp, sends });
    failures.push(...checked.failures);
    // The last event in the log's (xid, id) order, which is the order the stream follows.
    const [{ top }] = await withRetries(() =>
      db`select coalesce((select id from events order by xid desc, id desc limit 1), 0)::int8 as top`
    );
    progress(
      checked.final ? "all sends final; waiting for the SSE client" : "some sends not final",
    );
    const caughtUp = await waitFor(
      () => Promise.resolve(Number(top) === 0 || follower.seen.has(Number(top))),
      30_000,
    );
    await follower.stop();
    progress("SSE client stopped");
    const stream = await checkStream(db, { follower, startId, top, caughtUp });
    failures.push(...stream.failures);
    const { connects } = follower.stats();

    const ms = sends.map((s) => s.ms).sort((a, b) => a - b);
    const codes = new Map<number, number>();
    for (const s of sends) codes.set(s.status, (codes.get(s.status) ?? 0) + 1);
    console.log(
      `run ${run}: ${sends.length} sends, answers ${
        [...codes].map(([c, n]) => `${c || "none"}×${n}`).join(" ")
      }; retried ${sends.filter((s) => s.retry).length}; stored ${checked.stored}; ` +
        `answer p50/p99/max ${percentile(ms, 50).toFixed(0)}/${percentile(ms, 99).toFixed(0)}/${
          ms[ms.length - 1].toFixed(0)
        } ms; kills ${plan.map((k) => k.signal.slice(3)).join(",")}, back after ${
          outages.map((o) => (o / 1000).toFixed(1)).join("/")
        } s; SSE ${stream.events} events, ${connects} connects; ${
          failures.length ? `FAILED: ${failures.join("; ")}` : "ok"
        }`,
    );
  } finally {
    await sql?.end();
    try {
      child.kill("SIGTERM");
    } catch { /* gone */ }
    const code = await exited;
    await logged;
    if (code !== 0) failures.push(`Hatch exited with ${code} on SIGTERM`);
    const errors = log.split("\n").filter((l) => l.includes('"level":"ERROR"'));
    if (failures.length && errors.length) console.log(`  first ERROR line: ${errors[0]}`);
    if (logFile && !failures.length) await Deno.remove(logFile);
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
  return failures;
}

console.log(
  `Chaos: ${RATE} sends/s for ${SECONDS} s, ${KILLS} database kills per run, ${RUNS} run(s)`,
);
let failed = 0;
for (let run = 1; run <= RUNS; run++) {
  const failures = await oneRun(run).catch((e) => {
    console.log(`run ${run}: FAILED: ${e instanceof Error ? e.message : e}`);
    return [String(e)];
  });
  if (failures.length) failed++;
}
console.log(`${RUNS - failed} of ${RUNS} runs kept every promise`);
Deno.exit(failed ? 1 : 0);
