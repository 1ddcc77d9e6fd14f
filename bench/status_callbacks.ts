// Providers' delivery reports at volume. With a real Twilio account every SMS Hatch hands over
// comes back as two signed status callbacks (`sent`, then `delivered`), so 1,000 messages a
// second are 2,000 callbacks a second on top of the sends; SendGrid posts its events (here
// `processed`, `delivered`, `open` for each email) in signed batches. This posts them as the
// providers do (Twilio: form-encoded, X-Twilio-Signature made with the SDK; SendGrid: JSON,
// ECDSA-signed) to a Hatch with the worker on and --clients SSE clients reading, --concurrency
// posts in flight for --seconds, for messages or emails seeded as handed over.
//
//   deno run -A bench/status_callbacks.ts [--provider twilio|sendgrid|twilio-inbound] [--seconds 20]
//     [--concurrency 48] [--batch 100] [--clients 100] [--env KEY=VALUE …]
//     [--server-flags="--cpu-prof …"] [--database-url postgres://…/postgres]
//
// --batch is SendGrid's events per post; `twilio-inbound` posts inbound texts instead (Twilio's
// other webhook, one per message a customer sends). Prints reports (callbacks, events or texts)
// stored per second, the posts' answer p50 / p99, commits per report, and checks that every
// `delivered` (for inbound: every text) answered 2xx is stored: nothing acknowledged and lost.
import twilio from "twilio";
import { connect, type Sql } from "@/lib/db/connect.ts";
import { sendgridEventSigner } from "@/tests/fakes/sendgrid_webhooks.ts";
import { benchDatabase, benchFlags, machine, ms, percentile, printTable } from "./_shared.ts";
import { createAdminToken, startHatch } from "./realtime_server.ts";
import { RawHttpPool } from "./raw_http.ts";
import { startReaders } from "./sse_readers.ts";

const flags = benchFlags({
  provider: { type: "string", default: "twilio" },
  seconds: { type: "string", default: "20" },
  concurrency: { type: "string", default: "48" },
  batch: { type: "string", default: "100" },
  clients: { type: "string", default: "100" },
  env: { type: "string", multiple: true, default: [] },
  "server-flags": { type: "string", default: "" },
});
const seconds = Number(flags.seconds);
const concurrency = Number(flags.concurrency);
const clients = Number(flags.clients);
// Enough rows for 6,000 Twilio callbacks or 24,000 SendGrid events a second.
const rows = Math.max(1000, seconds * (flags.provider === "sendgrid" ? 8000 : 3000));
const OUR_NUMBER = "+15005550006";
const encoder = new TextEncoder();

/** One post: where, what, and how many reports it carries (and how many are `delivered`). */
interface Post {
  path: string;
  body: Uint8Array;
  headers: Record<string, string>;
  reports: number;
  delivered: number;
}

/** A provider's side: the settings Hatch needs, the rows to seed, the k-th post. */
interface Provider {
  env: Record<string, string>;
  seed(sql: Sql): Promise<void>;
  /** Post number k, or undefined once the seeded rows are used up. */
  post(k: number): Post | undefined;
  /** How many seeded rows are `delivered` now. */
  stored(sql: Sql): Promise<number>;
}

const TWILIO_TOKEN = "bench-twilio-auth-token";
const TWILIO_ENV = { TWILIO_AUTH_TOKEN: TWILIO_TOKEN, HATCH_PUBLIC_URL: "http://hatch.bench" };

/** A form posted to `path` as Twilio posts it: signed over Hatch's public URL and the fields. */
function twilioPost(path: string, params: Record<string, string>, delivered: number): Post {
  return {
    path,
    body: encoder.encode(new URLSearchParams(params).toString()),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(
        TWILIO_TOKEN,
        TWILIO_ENV.HATCH_PUBLIC_URL + path,
        params,
      ),
    },
    reports: 1,
    delivered,
  };
}

function twilioProvider(): Provider {
  return {
    env: TWILIO_ENV,
    // Messages as the worker leaves them once Twilio took them: `sent`, with Twilio's sid.
    async seed(sql) {
      await sql`
        insert into conversations (id, channel, participants)
        select md5('bench-callbacks-' || k)::uuid, 'sms',
               array[${OUR_NUMBER}, '+1' || (4155550000 + k)]
        from generate_series(0, 999) k`;
      await sql`
        insert into messages (conversation_id, channel, direction, from_contact, to_contact, body,
          status, provider, provider_message_id)
        select md5('bench-callbacks-' || (i % 1000))::uuid, 'sms', 'outbound', ${OUR_NUMBER},
               '+1' || (4155550000 + i % 1000), 'Bench message ' || i, 'sent', 'twilio',
               'SMbench' || i
        from generate_series(0, ${rows - 1}) i`;
    },
    // Callback k is message k >> 1's `sent` (even k) or `delivered` (odd k), so each message's
    // two come in Twilio's order, a few requests apart.
    post(k) {
      if (k >= rows * 2) return undefined;
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
      return twilioPost("/webhooks/twilio/status", params, status === "delivered" ? 1 : 0);
    },
    async stored(sql) {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from messages where status = 'delivered'`;
      return row.n;
    },
  };
}

// Inbound texts from 1,000 customers: no seed; each post is a new message Hatch must store (its
// conversation, the event) before it answers, so Twilio does not deliver it twice.
function twilioInbound(): Provider {
  return {
    env: TWILIO_ENV,
    seed: () => Promise.resolve(),
    post(k) {
      if (k >= rows * 2) return undefined;
      const sid = `SMinbound${k}`;
      const params = {
        AccountSid: "ACbench",
        ApiVersion: "2010-04-01",
        Body: `Inbound bench message ${k}: see you at the usual place`,
        From: `+1${4155550000 + k % 1000}`,
        MessageSid: sid,
        NumMedia: "0",
        SmsSid: sid,
        To: OUR_NUMBER,
      };
      return twilioPost("/webhooks/twilio/sms", params, 1);
    },
    async stored(sql) {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from messages where direction = 'inbound'`;
      return row.n;
    },
  };
}

function sendgridProvider(batch: number): Provider {
  const signer = sendgridEventSigner();
  const KINDS = ["processed", "delivered", "open"];
  return {
    env: { SENDGRID_WEBHOOK_PUBLIC_KEY: signer.publicKey },
    // Emails as the worker leaves them once SendGrid took them: `sent`, with its message id.
    async seed(sql) {
      await sql`
        insert into conversations (id, channel, participants, subject)
        select md5('bench-events-' || k)::uuid, 'email',
               array['team@hatch.bench', 'customer' || k || '@example.com'], 'Bench'
        from generate_series(0, 999) k`;
      await sql`
        insert into emails (conversation_id, direction, from_email, to_email, subject, body,
          status, provider, provider_message_id)
        select md5('bench-events-' || (i % 1000))::uuid, 'outbound', 'team@hatch.bench',
               'customer' || (i % 1000) || '@example.com', 'Bench', 'Bench email ' || i, 'sent',
               'sendgrid', 'bench' || i
        from generate_series(0, ${rows - 1}) i`;
    },
    // Post k carries events k·batch … k·batch + batch − 1; event j is email j / 3's
    // `processed`, `delivered` or `open`, in that order.
    post(k) {
      const first = k * batch;
      if (first >= rows * 3) return undefined;
      const events = [];
      for (let j = first; j < Math.min(first + batch, rows * 3); j++) {
        const i = Math.floor(j / 3);
        events.push({
          email: `customer${i % 1000}@example.com`,
          event: KINDS[j % 3],
          sg_event_id: `bench-event-${j}`,
          sg_message_id: `bench${i}.filter0001.16648.5515E0B88.0`,
          timestamp: Math.floor(Date.now() / 1000),
        });
      }
      const body = encoder.encode(JSON.stringify(events));
      return {
        path: "/webhooks/sendgrid/events",
        body,
        headers: signer.headers(body),
        reports: events.length,
        delivered: events.filter((e) => e.event === "delivered").length,
      };
    },
    async stored(sql) {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from emails where status = 'delivered'`;
      return row.n;
    },
  };
}

const providers: Record<string, () => Provider> = {
  twilio: twilioProvider,
  "twilio-inbound": twilioInbound,
  sendgrid: () => sendgridProvider(Number(flags.batch)),
};
if (!providers[flags.provider]) {
  console.error(`--provider must be one of ${Object.keys(providers).join(", ")}`);
  Deno.exit(2);
}
const provider = providers[flags.provider]();
console.log(`Hatch delivery-report benchmark (${flags.provider}) — ${machine()}`);
const db = await benchDatabase(flags["database-url"], "reports");
const server = await startHatch({
  databaseUrl: db.url,
  worker: true,
  serverLog: false,
  serverFlags: flags["server-flags"],
  extraEnv: {
    ...provider.env,
    ...Object.fromEntries(flags.env.map((kv) => kv.split(/=(.*)/s, 2))),
  },
});
const sql = connect(db.url, { max: 1, statementTimeoutMs: 0 });
try {
  await provider.seed(sql);
  console.log(`${rows.toLocaleString("en")} rows seeded as handed over to ${flags.provider}`);
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
  const pool = new RawHttpPool(server.url, {});
  interface Result {
    status: number;
    ms: number;
    reports: number;
    delivered: number;
  }
  let next = 0;
  const flood = async (forMs: number) => {
    const end = performance.now() + forMs;
    const results: Result[] = [];
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let p = provider.post(next++); p && performance.now() < end; p = provider.post(next++)) {
        const t0 = performance.now();
        const answer = await pool.post(p.path, p.body, p.headers);
        results.push({ ...p, status: answer.status, ms: performance.now() - t0 });
      }
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
  const ok = (r: Result) => r.status >= 200 && r.status < 300;
  const stored = results.filter(ok).reduce((n, r) => n + r.reports, 0);
  const times = Float64Array.from(results.map((r) => r.ms)).sort();
  // Every `delivered` answered 2xx (the warm-up's too) must be stored, and nothing else is.
  const acknowledged = [...warmUp, ...results].filter(ok).reduce((n, r) => n + r.delivered, 0);
  const inTable = await provider.stored(sql);
  console.log("");
  printTable(["figure", "value"], [
    [
      "reports stored (answered 2xx)",
      `${stored.toLocaleString("en")} in ${elapsed.toFixed(1)} s = ${
        Math.round(stored / elapsed).toLocaleString("en")
      }/s in ${results.length.toLocaleString("en")} posts (${
        results.filter((r) => !ok(r)).length
      } other answers)`,
    ],
    ["post answer p50 / p99", `${ms(percentile(times, 50))} / ${ms(percentile(times, 99))} ms`],
    ["commits per report", ((commitsAfter - commitsBefore) / Math.max(1, stored)).toFixed(2)],
    [
      "`delivered` acknowledged / stored",
      `${acknowledged} / ${inTable}${acknowledged === inTable ? "" : " — MISMATCH"}`,
    ],
  ]);
} finally {
  await sql.end();
  await server.stop();
  await db.drop();
}
