// A paced broadcast, measured on the fake Twilio: N recipients at --mps texts per second from one
// sender, sent by two worker processes, with a reply typed mid-way.
//
//   deno run -A bench/broadcast.ts [--recipients 300] [--mps 5] [--opted-out 10]
//
// Creates a database on the server (HATCH_BENCH_DATABASE_URL, else the local one), starts the
// fake Twilio and two `cli.ts worker` processes on it, starts the broadcast through the service
// and prints: how long it took, the most requests the fake saw in any one-second window, how
// long the reply took to reach the fake, and how many opted-out recipients were skipped (and
// whether any of them got a text).
import { parseArgs } from "node:util";
import { connect } from "@/lib/db/connect.ts";
import { migrate } from "@/lib/db/migrate.ts";
import { parseSettings } from "@/lib/config.ts";
import { startBroadcast } from "@/lib/broadcasts/service.ts";
import { sendMessage } from "@/lib/messages/service.ts";
import { startFakeTwilio } from "@/tests/fakes/fake_twilio.ts";
import { benchDatabaseName, createBenchDatabase, serverUrl } from "./_shared.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    recipients: { type: "string", default: "300" },
    mps: { type: "string", default: "5" },
    "opted-out": { type: "string", default: "10" },
    "database-url": { type: "string" },
  },
});
const total = Number(args.values.recipients);
const mps = Number(args.values.mps);
const optedOutCount = Number(args.values["opted-out"]);

const db = await createBenchDatabase(
  serverUrl(args.values["database-url"]),
  benchDatabaseName("broadcast"),
);
const sql = connect(db.url, { max: 4 });
await migrate(sql, db.url);
const twilio = startFakeTwilio();
const env = {
  DATABASE_URL: db.url,
  TWILIO_ACCOUNT_SID: twilio.accountSid,
  TWILIO_AUTH_TOKEN: twilio.authToken,
  TWILIO_PHONE_NUMBER: "+15005550006",
  TWILIO_API_BASE_URL: twilio.url,
  TWILIO_MPS: String(mps),
  HATCH_QUIET_HOURS: "off",
  HATCH_LOG_LEVEL: "warning",
};
const settings = parseSettings({ ...env, HATCH_WORKER: "false" });
const root = new URL("../", import.meta.url).pathname;
const workers = [1, 2].map(() =>
  new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", "worker"],
    cwd: root,
    env,
    stdout: "null",
  }).spawn()
);

/** The most requests in any one-second window. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

const phones = Array.from(
  { length: total },
  (_, i) => `+1415555${String(1000 + i).padStart(4, "0")}`,
);
const optedOut = new Set(phones.slice(0, optedOutCount));
for (const p of optedOut) {
  await sql`insert into sms_opt_outs (sender, recipient, keyword) values ('+15005550006', ${p}, 'STOP')`;
}
const waitFor = async (check: () => boolean | Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("Timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};
try {
  const started = Date.now();
  const b = await startBroadcast(sql, settings, {
    name: "Bench",
    body: "Hi {{contact.phone}}, our doors open at 9 tomorrow",
    recipients: { csv: ["phone", ...phones].join("\n") },
  }, { label: "bench" });
  const mine = new Set(phones);
  await waitFor(
    () => twilio.requests.filter((r) => mine.has(r.form.get("To")!)).length >= total / 3,
    600_000,
  );
  const replyTo = "+12125550123";
  const replyAt = Date.now();
  await sql.begin((tx) => sendMessage(tx, settings, { to: replyTo, content: "Yes, we are open" }));
  await waitFor(() => twilio.requests.some((r) => r.form.get("To") === replyTo), 60_000);
  const replyMs = twilio.requests.find((r) => r.form.get("To") === replyTo)!.at - replyAt;
  await waitFor(async () => {
    const [row] = await sql`select state from broadcasts where id = ${b.id}`;
    return row.state === "finished";
  }, 600_000);
  const sent = twilio.requests.filter((r) => mine.has(r.form.get("To")!));
  const times = twilio.requests.map((r) => r.at);
  const span = (Math.max(...times) - Math.min(...times)) / 1000;
  console.log(
    `recipients ${total}, opted out ${optedOut.size}, rate ${mps}/s, two worker processes`,
  );
  console.log(
    `texts sent           ${sent.length} (to opted-out numbers: ${
      sent.filter((r) => optedOut.has(r.form.get("To")!)).length
    })`,
  );
  console.log(
    `first to last        ${span.toFixed(1)} s (started to finished ${
      ((Date.now() - started) / 1000).toFixed(1)
    } s)`,
  );
  console.log(`busiest second       ${busiestSecond(times)} requests (limit ${mps})`);
  const sorted = [...times].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((x, i) => x - sorted[i]).sort((a, b) => a - b);
  console.log(
    `gaps between requests min ${gaps[0]} ms, 1st percentile ${
      gaps[Math.floor(gaps.length / 100)]
    } ms, median ${gaps[gaps.length >> 1]} ms`,
  );
  const [paced] = await sql`select count(*)::int as n from messages where error_code = 'paced'`;
  console.log(`texts that waited past the slot limit ${paced.n}`);
  console.log(`reply reached fake   ${replyMs} ms after it was sent`);
} finally {
  for (const w of workers) {
    try {
      w.kill("SIGTERM");
    } catch { /* gone */ }
    await w.status;
  }
  await sql.end();
  await twilio.close();
  await db.drop();
}
