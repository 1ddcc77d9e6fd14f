// Twilio's status callbacks at volume: with a real Twilio account, every SMS Hatch hands over
// comes back as two signed callbacks (`sent`, then `delivered`), so 1,000 messages a second are
// 2,000 callbacks a second on top of the sends. This posts them as Twilio does (form-encoded,
// X-Twilio-Signature made with the SDK) to /webhooks/twilio/status of a Hatch with the worker on
// and --clients SSE clients reading, --concurrency requests in flight for --seconds, for messages
// seeded as handed over to Twilio.
//
//   deno run -A bench/status_callbacks.ts [--seconds 20] [--concurrency 48] [--clients 100]
//     [--env KEY=VALUE …] [--database-url postgres://…/postgres]
//
// Prints callbacks answered per second, their answer p50 / p99, commits per callback, and checks
// that every `delivered` answered 204 is stored (nothing acknowledged and lost).
import twilio from "twilio";
import { connect } from "@/lib/db/connect.ts";
import { benchDatabase, benchFlags, machine, ms, percentile, printTable } from "./_shared.ts";
import { createAdminToken, startHatch } from "./realtime_server.ts";
import { RawHttpPool } from "./raw_http.ts";
import { startReaders } from "./sse_readers.ts";

const flags = benchFlags({
  seconds: { type: "string", default: "20" },
  concurrency: { type: "string", default: "48" },
  clients: { type: "string", default: "100" },
  env: { type: "string", multiple: true, default: [] },
});
const seconds = Number(flags.seconds);
const concurrency = Number(flags.concurrency);
const clients = Number(flags.clients);
// Enough messages for 6,000 callbacks a second.
const messages = Math.max(1000, seconds * 3000);
const AUTH_TOKEN = "bench-twilio-auth-token";
const PUBLIC_URL = "http://hatch.bench";
const PATH = "/webhooks/twilio/status";
const OUR_NUMBER = "+15005550006";

console.log(`Hatch status-callback benchmark — ${machine()}`);
const db = await benchDatabase(flags["database-url"], "callbacks");
const extraEnv: Record<string, string> = {
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  HATCH_PUBLIC_URL: PUBLIC_URL,
  ...Object.fromEntries(flags.env.map((kv) => kv.split(/=(.*)/s, 2))),
};
const server = await startHatch({
  databaseUrl: db.url,
  worker: true,
  serverLog: false,
  serverFlags: "",
  extraEnv,
});
const sql = connect(db.url, { max: 1, statementTimeoutMs: 0 });
try {
  // Messages as the worker leaves them once Twilio took them: `sent`, with Twilio's sid.
  await sql`
    insert into conversations (id, channel, participants)
    select md5('bench-callbacks-' || k)::uuid, 'sms', array[${OUR_NUMBER}, '+1' || (4155550000 + k)]
    from generate_series(0, 999) k`;
  await sql`
    insert into messages (conversation_id, channel, direction, from_contact, to_contact, body,
      status, provider, provider_message_id)
    select md5('bench-callbacks-' || (i % 1000))::uuid, 'sms', 'outbound', ${OUR_NUMBER},
           '+1' || (4155550000 + i % 1000), 'Bench message ' || i, 'sent', 'twilio', 'SMbench' || i
    from generate_series(0, ${messages - 1}) i`;
  console.log(`${messages.toLocaleString("en")} messages seeded as handed over to Twilio`);

  const authorization = `Bearer ${await createAdminToken(db.url)}`;
  const readers = clients
    ? await startReaders({
      url: server.url,
      authorization,
      count: clients,
      workers: 2,
      record: false,
    })
    : undefined;
  const pool = new RawHttpPool(server.url, {
    "content-type": "application/x-www-form-urlencoded",
  });
  const encoder = new TextEncoder();
  // Callback k is message k >> 1's `sent` (even k) or `delivered` (odd k), so each message's
  // two come in Twilio's order, a few requests apart.
  let next = 0;
  const post = async (k: number) => {
    const status = k % 2 ? "delivered" : "sent";
    const sid = `SMbench${k >> 1}`;
    const params = {
      AccountSid: "ACbench",
      ApiVersion: "2010-04-01",
      From: OUR_NUMBER,
      MessageSid: sid,
      MessageStatus: status,
      SmsSid: sid,
      SmsStatus: status,
      To: `+1${4155550000 + (k >> 1) % 1000}`,
    };
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + PATH, params);
    const body = encoder.encode(new URLSearchParams(params).toString());
    const t0 = performance.now();
    const answer = await pool.post(PATH, body, { "x-twilio-signature": signature });
    return { status: answer.status, ms: performance.now() - t0, delivered: status === "delivered" };
  };
  const flood = async (forMs: number) => {
    const end = performance.now() + forMs;
    const results: { status: number; ms: number; delivered: boolean }[] = [];
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < end && next < messages * 2) results.push(await post(next++));
    }));
    return results;
  };
  const commits = async () =>
    Number(
      (await sql`select xact_commit from pg_stat_database where datname = current_database()`)[0]
        .xact_commit,
    );
  const warmUp = await flood(1000); // V8 compiles the hot paths, the pool opens its connections
  const commitsBefore = await commits();
  const start = performance.now();
  const results = await flood(seconds * 1000);
  const elapsed = (performance.now() - start) / 1000;
  // pg_stat_database is flushed by the backends about once a second.
  await new Promise((r) => setTimeout(r, 1500));
  const commitsAfter = await commits();
  await readers?.close();
  pool.close();
  const answered = results.filter((r) => r.status === 204).length;
  const times = Float64Array.from(results.map((r) => r.ms)).sort();
  // Every `delivered` answered 204 (the warm-up's too) must be stored, and nothing else is.
  const acknowledged = [...warmUp, ...results].filter((r) => r.delivered && r.status === 204);
  const [stored] = await sql<{ n: number }[]>`
    select count(*)::int as n from messages where status = 'delivered'`;
  console.log("");
  printTable(["figure", "value"], [
    [
      "callbacks answered 204",
      `${answered.toLocaleString("en")} in ${elapsed.toFixed(1)} s = ${
        Math.round(answered / elapsed).toLocaleString("en")
      }/s (${results.length - answered} other answers)`,
    ],
    ["answer p50 / p99", `${ms(percentile(times, 50))} / ${ms(percentile(times, 99))} ms`],
    ["commits per callback", ((commitsAfter - commitsBefore) / Math.max(1, answered)).toFixed(2)],
    [
      "`delivered` acknowledged / stored",
      `${acknowledged.length} / ${stored.n}${
        acknowledged.length === stored.n ? "" : " — MISMATCH"
      }`,
    ],
  ]);
} finally {
  await sql.end();
  await server.stop();
  await db.drop();
}
