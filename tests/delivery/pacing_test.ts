// Pacing across worker processes: a broadcast through the real Twilio SDK against the fake never
// makes more requests in any second than the sender's rate, a reply typed meanwhile goes first,
// and opted-out recipients get nothing and are counted. (bench/broadcast.ts runs the full-size
// version: 300 recipients at 5/s, and prints its figures.)
import assert from "node:assert/strict";
import { startFakeTwilio } from "@/tests/fakes/fake_twilio.ts";
import {
  jsonRequest,
  onTeardown,
  ownDatabase,
  randomPhone,
  startTestApp,
  test,
  waitUntil,
} from "@/tests/helpers.ts";
import { spawnHatch } from "@/tests/process.ts";
import { reserveSlot, slotDone } from "@/lib/delivery/pacing.ts";

const MPS = 10;
const twilio = startFakeTwilio();
onTeardown(() => twilio.close());
const db = await ownDatabase("pacing", { max: 4 });
const env = {
  DATABASE_URL: db.url,
  TWILIO_ACCOUNT_SID: twilio.accountSid,
  TWILIO_AUTH_TOKEN: twilio.authToken,
  TWILIO_PHONE_NUMBER: "+15005550006",
  TWILIO_API_BASE_URL: twilio.url,
  TWILIO_MPS: String(MPS),
  // Broadcasts are marketing: quiet hours would hold some numbers at this hour.
  HATCH_QUIET_HOURS: "off",
};
const t = await startTestApp({ ...env, HATCH_WORKER: "false" });
// Two worker processes share the one sender.
await Promise.all([
  spawnHatch({ entry: "cli.ts", args: ["worker"], env }),
  spawnHatch({ entry: "cli.ts", args: ["worker"], env }),
]);

/** The most requests any one-second window holds (windows starting at each request). */
export function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

test("busiestSecond counts the requests of the fullest one-second window", () => {
  assert.equal(busiestSecond([0, 100, 999, 1000, 1500]), 3);
  assert.equal(busiestSecond([0, 1000, 2000]), 1);
});

test("slots are an interval apart; a slot past the horizon is refused; a window waits for answers", async () => {
  const sender = `+1555${crypto.getRandomValues(new Uint32Array(1))[0] % 10_000_000}`;
  const pace = { intervalMs: 300, perWindow: 2, windowMs: 1000 };
  const take = () => reserveSlot(db.sql, { sender, pace, horizonMs: 400 });
  const a = await take();
  const b = await take();
  assert.ok(a.reserved && a.waitMs < 50);
  assert.ok(b.reserved && b.waitMs > 200 && b.waitMs <= 300);
  // The third would be the window's third while the first has not been answered: it waits.
  const c = await take();
  assert.deepEqual(c, { reserved: false, retryInMs: 15 });
  await slotDone(db.sql, a.reserved ? a.id : 0);
  // Answered now: the third may go a second after that answer, past the horizon for now.
  const d = await take();
  assert.ok(!d.reserved && d.retryInMs > 400 && d.retryInMs <= 600, JSON.stringify(d));
  const e = await reserveSlot(db.sql, { sender, pace, horizonMs: 2_000 });
  assert.ok(e.reserved && e.waitMs > 800 && e.waitMs <= 1000, JSON.stringify(e));
});

test("a broadcast across two worker processes keeps the rate; a reply goes within a second", async () => {
  const phones = Array.from({ length: 40 }, () => randomPhone());
  const optedOut = phones.slice(0, 3);
  for (const p of optedOut) {
    await db.sql`
      insert into sms_opt_outs (sender, recipient, keyword) values ('+15005550006', ${p}, 'STOP')`;
  }
  const csv = ["phone,first_name", ...phones.map((p, i) => `${p},Guest${i}`)].join("\n");
  const res = await jsonRequest(t.app, "/api/broadcasts", {
    name: "Pacing check",
    body: "Hi {{contact.first_name}}, doors open at 9",
    recipients: { csv },
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { broadcast } = await res.json();
  assert.equal(broadcast.skipped.opted_out, 3);
  const mine = new Set(phones);
  const ofBroadcast = () => twilio.requests.filter((r) => mine.has(r.form.get("To")!));
  // Mid-way, someone answers a customer.
  await waitUntil(db.sql, () => Promise.resolve(ofBroadcast().length >= 10));
  const customer = randomPhone();
  const sentAt = Date.now();
  const reply = await jsonRequest(t.app, "/api/send_message", { to: customer, content: "Yes!" });
  assert.equal(reply.status, 202);
  const replyReq = await waitUntil(
    db.sql,
    () => Promise.resolve(twilio.requests.find((r) => r.form.get("To") === customer)),
  );
  assert.ok(replyReq.at - sentAt < 1_000, `the reply took ${replyReq.at - sentAt} ms`);
  await waitUntil(db.sql, async () => {
    const [b] = await db.sql`select state from broadcasts where id = ${broadcast.id}`;
    return b.state === "finished";
  }, 60_000);
  const sent = ofBroadcast();
  assert.equal(sent.length, 37);
  assert.ok(sent.every((r) => !optedOut.includes(r.form.get("To")!)));
  assert.match(sent[0].form.get("Body")!, /^Hi Guest\d+, doors open at 9$/);
  const all = [...sent, replyReq].map((r) => r.at);
  assert.ok(busiestSecond(all) <= MPS, `${busiestSecond(all)} requests in one second`);
  const final = await (await t.app.request(`/api/broadcasts/${broadcast.id}`)).json();
  assert.equal(final.broadcast.progress.sent, 37);
  assert.equal(final.broadcast.progress.skipped, 3);
});
