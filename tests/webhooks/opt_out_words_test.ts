// Opt-outs in plain words are opt-outs, confirmed with one text; HELP gets the contact details.
import assert from "node:assert/strict";
import { isPlainOptOut } from "@/lib/messages/opt_out_words.ts";
import { startWorker } from "@/lib/delivery/worker.ts";
import {
  jsonRequest,
  onTeardown,
  randomPhone,
  startTestApp,
  test,
  waitUntil,
} from "@/tests/helpers.ts";

const t = await startTestApp({
  HATCH_BUSINESS_NAME: "Blue Door Bakery",
  HATCH_BUSINESS_CONTACT: "call (415) 555-0100",
});
const worker = await startWorker({
  sql: t.ctx.sql,
  databaseUrl: t.databaseUrl,
  settings: t.ctx.settings,
});
onTeardown(() => worker.stop());

test("plain-language opt-outs are recognised; texts that only mention stopping are not", () => {
  for (
    const yes of [
      "Please stop texting me",
      "unsubscribe me",
      "Don't text me.",
      "do not text me again",
      "Stop messaging me please",
      "remove me from your list",
      "Take me off this list",
      "no more texts",
      "I want to unsubscribe",
      "don’t text me anymore!",
    ]
  ) assert.ok(isPlainOptOut(yes), yes);
  for (
    const no of [
      "Can you stop by at 5?",
      "Don't text me before 9, I work nights, but yes please book it",
      "stop",
      "The bus stop is outside",
      "",
    ]
  ) assert.ok(!isPlainOptOut(no), no);
});

async function conversationWith(phone: string): Promise<string> {
  const res = await jsonRequest(t.app, "/api/send_message", { to: phone, content: "Hi!" });
  return (await res.json()).conversation_id;
}

async function customerSays(conversation_id: string, body: string): Promise<void> {
  const res = await jsonRequest(t.app, "/api/sandbox/inbound", { conversation_id, body });
  assert.ok(res.ok, await res.clone().text());
  await res.body?.cancel();
}

test("'please stop texting me' opts out, is shown as STOP, and gets one confirmation", async () => {
  const phone = randomPhone();
  const conv = await conversationWith(phone);
  await customerSays(conv, "Please stop texting me");
  const [inbound] = await t.ctx.sql`
    select keyword from messages where conversation_id = ${conv} and direction = 'inbound'`;
  assert.equal(inbound.keyword, "stop");
  const confirmation = await waitUntil(t.ctx.sql, async () => {
    const [m] = await t.ctx.sql`
      select body, status from messages
      where conversation_id = ${conv} and direction = 'outbound' and keyword = 'stop'
        and status in ('sent', 'delivered')`;
    return m;
  });
  assert.equal(
    confirmation.body,
    "You won't get more texts from Blue Door Bakery. Reply START to opt back in.",
  );
  const refused = await jsonRequest(t.app, "/api/send_message", { to: phone, content: "Sale!" });
  assert.equal(refused.status, 422);
  assert.match((await refused.json()).error, /opted out \(Please stop texting me\)/);
  const outbound = await t.ctx.sql`
    select 1 from messages where conversation_id = ${conv} and direction = 'outbound'`;
  assert.equal(outbound.length, 2, "the first text and the one confirmation");
});

test("HELP is answered with the business's contact details", async () => {
  const conv = await conversationWith(randomPhone());
  await customerSays(conv, "HELP");
  const answer = await waitUntil(t.ctx.sql, async () => {
    const [m] = await t.ctx.sql`
      select body from messages
      where conversation_id = ${conv} and direction = 'outbound' and body like 'Blue Door%'`;
    return m;
  });
  assert.equal(
    answer.body,
    "Blue Door Bakery: for help, call (415) 555-0100. Reply STOP to opt out.",
  );
});
