import assert from "node:assert/strict";
import { jsonRequest, randomEmail, startTestApp, test } from "@/tests/helpers.ts";
import { receiveInboundSms } from "@/lib/messages/service.ts";
import { smsFromAddress } from "@/lib/providers/select.ts";
import { createContact, uniquePhone, uniqueWord } from "@/tests/contacts/fixtures.ts";

const t = await startTestApp();

interface Result {
  kind: "message" | "email";
  id: string;
  conversation_id: string;
  channel?: string;
  direction: string;
  status: string;
  body: string;
  subject?: string;
}

async function search(query: string): Promise<{ results: Result[]; next_cursor: string | null }> {
  const res = await t.app.request(`/api/search?${query}`);
  const body = await res.json();
  assert.equal(res.status, 200, body.error);
  return body;
}

async function sms(to: string, content: string): Promise<{ message_id: string }> {
  const res = await jsonRequest(t.app, "/api/send_message", { to, content });
  assert.equal(res.status, 202);
  return await res.json();
}

async function email(to: string, subject: string, body: string): Promise<{ email_id: string }> {
  const res = await jsonRequest(t.app, "/api/send_email", { to_email: to, subject, body });
  assert.equal(res.status, 202);
  return await res.json();
}

function inbound(from: string, body: string): Promise<string> {
  return receiveInboundSms(t.ctx.sql, {
    from,
    to: smsFromAddress(t.ctx.settings),
    body,
    provider: "sandbox",
    providerMessageId: `SM${crypto.randomUUID().replaceAll("-", "")}`,
  });
}

test("a word in a message body finds the message, in an email subject the email", async () => {
  const word = uniqueWord();
  const other = uniqueWord();
  const m = await sms(uniquePhone(), `Your ${word} is ready, see you soon`);
  const e = await email(randomEmail(), `Invoice ${other}`, "Please find it attached");
  const bodyHit = await search(`q=${word}`);
  assert.equal(bodyHit.results.length, 1);
  const [r] = bodyHit.results;
  assert.equal(r.kind, "message");
  assert.equal(r.id, m.message_id);
  assert.ok(r.conversation_id);
  assert.equal(r.body, `Your ${word} is ready, see you soon`);
  const subjectHit = await search(`q=${other.toUpperCase()}`);
  assert.deepEqual(subjectHit.results.map((x) => [x.kind, x.id]), [["email", e.email_id]]);
  assert.equal(subjectHit.results[0].subject, `Invoice ${other}`);
  assert.equal(subjectHit.next_cursor, null);
});

test("an email body, a prefix of the last word and websearch syntax all match", async () => {
  const word = uniqueWord();
  const mate = uniqueWord();
  const e = await email(randomEmail(), "Hello", `The ${word} ${mate} arrived`);
  const m = await sms(uniquePhone(), `only ${word} here`);
  const both = await search(`q=${word}`);
  assert.deepEqual(both.results.map((x) => x.id), [m.message_id, e.email_id], "newest first");
  const prefix = await search(`q=${word.slice(0, 6)}`);
  assert.deepEqual(prefix.results.map((x) => x.id).sort(), [m.message_id, e.email_id].sort());
  const twoWords = await search(`q=${encodeURIComponent(`${word} ${mate.slice(0, 5)}`)}`);
  assert.deepEqual(twoWords.results.map((x) => x.id), [e.email_id]);
  const phrase = await search(`q=${encodeURIComponent(`"${word} ${mate}"`)}`);
  assert.deepEqual(phrase.results.map((x) => x.id), [e.email_id]);
  const without = await search(`q=${encodeURIComponent(`${word} -${mate}`)}`);
  assert.deepEqual(without.results.map((x) => x.id), [m.message_id]);
  const either = await search(`q=${encodeURIComponent(`${mate} or ${uniqueWord()}`)}`);
  assert.deepEqual(either.results.map((x) => x.id), [e.email_id]);
  // Query syntax characters are data, never a failure.
  const odd = await search(`q=${encodeURIComponent(`${word}:* & !(|'" \\`)}`);
  assert.ok(Array.isArray(odd.results));
});

test("filters narrow by channel, direction, status, contact and dates", async () => {
  const word = uniqueWord();
  const phone = uniquePhone();
  const address = randomEmail();
  const contact = await createContact(t.app, { name: "Jo", phones: [phone], emails: [address] });
  const out = await sms(phone, `${word} outbound text`);
  const inId = await inbound(phone, `${word} inbound text`);
  const chat = await sms(uniqueWord("Chat "), `${word} in a chat`);
  const mail = await email(address, `${word} subject`, "body");
  const stranger = await sms(uniquePhone(), `${word} to a stranger`);

  const ids = async (filters: string) =>
    (await search(`q=${word}&${filters}`)).results.map((r) => r.id);
  assert.deepEqual(await ids("channel=email"), [mail.email_id]);
  assert.deepEqual(await ids("channel=chat"), [chat.message_id]);
  assert.deepEqual(await ids("channel=sms"), [stranger.message_id, inId, out.message_id]);
  assert.deepEqual(await ids("direction=inbound"), [inId]);
  assert.deepEqual(await ids("status=received"), [inId]);
  assert.deepEqual(await ids(`contact_id=${contact.id}`), [mail.email_id, inId, out.message_id]);
  assert.deepEqual(await ids(`contact_id=${contact.id}&channel=sms&direction=outbound`), [
    out.message_id,
  ]);
  const all = await ids("");
  assert.equal(all.length, 5);
  const today = new Date().toISOString().slice(0, 10);
  assert.deepEqual(await ids(`since=${today}&until=${today}`), all, "a day includes its end");
  assert.deepEqual(await ids("until=2000-01-01"), []);
  assert.deepEqual(await ids("since=2999-01-01T00:00:00Z"), []);
  const future = new Date(Date.now() + 3_600_000).toISOString();
  assert.deepEqual(await ids(`until=${encodeURIComponent(future)}`), all);
});

test("results page by keyset, newest first, without repeats", async () => {
  const word = uniqueWord();
  const made: string[] = [];
  for (let i = 0; i < 5; i++) {
    if (i % 2) made.push((await email(randomEmail(), `${word} ${i}`, "b")).email_id);
    else made.push((await sms(uniquePhone(), `${word} ${i}`)).message_id);
  }
  const seen: string[] = [];
  let before: string | null = null;
  let pages = 0;
  do {
    const page = await search(`q=${word}&limit=2${before ? `&before=${before}` : ""}`);
    seen.push(...page.results.map((r) => r.id));
    before = page.next_cursor;
    pages++;
  } while (before);
  assert.equal(pages, 3);
  assert.deepEqual(seen, made.reverse());
});

test("paging keeps rows that share the boundary's millisecond", async () => {
  const word = uniqueWord();
  const first = await sms(uniquePhone(), `${word} 0`);
  const [{ conversation_id }] = await t.ctx.sql`
    select conversation_id from messages where id = ${first.message_id}`;
  for (let i = 1; i <= 4; i++) {
    await t.ctx.sql`
      insert into messages (conversation_id, channel, direction, from_contact, to_contact, body,
        status, created_at)
      values (${conversation_id}, 'sms', 'outbound', 'a', 'b', ${`${word} ${i}`}, 'sent',
        ${`2020-01-01T00:00:00.1230${i}0Z`}::text::timestamptz)`;
  }
  const seen: string[] = [];
  let before: string | null = null;
  do {
    const page = await search(`q=${word}&limit=2${before ? `&before=${before}` : ""}`);
    seen.push(...page.results.map((r) => r.body));
    before = page.next_cursor;
  } while (before);
  assert.deepEqual(seen, [0, 4, 3, 2, 1].map((i) => `${word} ${i}`));
});

test("bad input is a 400 in words; an unknown contact is a 404", async () => {
  const cases: [string, RegExp][] = [
    ["", /q is empty/],
    ["q=", /q is empty/],
    ["q=%20%20", /q is empty/],
    ["q=x&channel=fax", /channel/],
    ["q=x&status=lost", /status/],
    ["q=x&direction=up", /direction/],
    ["q=x&contact_id=nope", /contact_id must be a UUID/],
    ["q=x&since=yesterday", /since: "yesterday" is not a date/],
    ["q=x&until=2024-13-45", /until: "2024-13-45" is not a date/],
    ["q=x&since=2024-05-02&until=2024-05-01", /until "2024-05-01" is not after since/],
    ["q=x&before=zzz", /Invalid cursor "zzz"/],
    ["q=x&limit=0", /limit must be at least 1/],
  ];
  for (const [query, error] of cases) {
    const res = await t.app.request(`/api/search?${query}`);
    assert.equal(res.status, 400, query);
    const body = await res.json();
    assert.equal(body.success, false);
    assert.match(body.error, error, query);
  }
  const missing = crypto.randomUUID();
  const res = await t.app.request(`/api/search?q=x&contact_id=${missing}`);
  assert.equal(res.status, 404);
  assert.equal((await res.json()).error, `Contact "${missing}" not found`);
});
