// The pure parts of search results and the contact timeline: which words are marked, the
// window of text a hit keeps, and how timeline pages merge.
import assert from "node:assert/strict";
import { excerpt, markMatches, searchTerms, toHit } from "@/lib/shared/search_text.ts";
import { mergeEntries, toEntry } from "@/lib/shared/timeline.ts";
import type { Entry, Item } from "@/lib/shared/types.ts";

Deno.test("searchTerms: words without quotes, operators or excluded words, longest first", () => {
  assert.deepEqual(searchTerms('"blush peony" or -lily Rose,'), ["blush", "peony", "rose"]);
  assert.deepEqual(searchTerms("   "), []);
});

Deno.test("markMatches: marks words that start with a term, keeps the rest as text", () => {
  assert.deepEqual(markMatches("Peonies and a peony, not apeony", "peon"), [
    { text: "Peon", hit: true },
    { text: "ies and a ", hit: false },
    { text: "peon", hit: true },
    { text: "y, not apeony", hit: false },
  ]);
  assert.deepEqual(markMatches("no match", "zzz"), [{ text: "no match", hit: false }]);
  // Regular expression characters in the search are plain text.
  assert.deepEqual(markMatches("a (b) c", "(b)"), [
    { text: "a (", hit: false },
    { text: "b", hit: true },
    { text: ") c", hit: false },
  ]);
});

Deno.test("excerpt: a window starting a little before the first match, cut on a word", () => {
  const long = `${"lorem ipsum ".repeat(30)}the invoice is attached ${"dolor ".repeat(60)}`;
  const cut = excerpt(long, "invoice");
  assert.ok(cut.startsWith("…"), cut);
  assert.ok(cut.endsWith("…"), cut);
  assert.ok(cut.includes("the invoice is attached"));
  assert.ok(!/^…\S*[a-z]ipsum/.test(cut), "starts on a word boundary");
  assert.equal(excerpt("Short\n\ntext", "text"), "Short text");
  // A first word longer than the lead is kept whole rather than cut.
  assert.equal(
    excerpt("Congratulations, Maria! Yes, we have blush peonies in this week", "peonies"),
    "Congratulations, Maria! Yes, we have blush peonies in this week",
  );
});

const SMS: Item = {
  kind: "message",
  id: "00000000-0000-4000-8000-000000000001",
  conversation_id: "00000000-0000-4000-8000-0000000000c1",
  channel: "sms",
  direction: "inbound",
  from_contact: "+14155550142",
  to_contact: "+15005550006",
  body: "STOP",
  media: [{ url: "https://x/a.jpg", content_type: "image/jpeg" }],
  status: "received",
  error_code: null,
  error_message: null,
  keyword: "stop",
  sent_by: null,
  timestamp: "2025-01-10T12:00:00.000Z",
  updated_at: "2025-01-10T12:00:00.000Z",
};

const EMAIL: Item = {
  kind: "email",
  id: "00000000-0000-4000-8000-000000000002",
  conversation_id: "00000000-0000-4000-8000-0000000000c2",
  direction: "outbound",
  from_email: "hello@marigold.shop",
  to_email: "maria@example.com",
  cc: null,
  bcc: null,
  reply_to: null,
  subject: "Your order",
  body: "x".repeat(2000),
  html_content: "<p>big</p>".repeat(1000),
  attachments: [{ filename: "a.pdf", content_type: "application/pdf", size: 3 }],
  status: "failed",
  error_code: "550",
  error_message: null,
  open_count: 0,
  click_count: 0,
  sent_by: null,
  timestamp: "2025-01-10T13:00:00.000Z",
  updated_at: "2025-01-10T13:00:00.000Z",
};

Deno.test("toHit and toEntry: the customer's address, no HTML, text kept short", () => {
  const hit = toHit(EMAIL, "order");
  assert.equal(hit.address, "maria@example.com");
  assert.equal(hit.subject, "Your order");
  assert.ok(hit.text.length < 260);
  assert.equal(toHit(SMS, "stop").address, "+14155550142");

  const e = toEntry(EMAIL);
  assert.equal(e.address, "maria@example.com");
  assert.equal(e.attachments, 1);
  assert.equal(e.error, "Error 550");
  assert.ok(e.text.length <= 481);
  assert.ok(!JSON.stringify(e).includes("<p>"), "no HTML body in an entry");
  const s = toEntry(SMS);
  assert.deepEqual([s.address, s.keyword, s.attachments, s.subject], [
    "+14155550142",
    "stop",
    1,
    null,
  ]);
});

Deno.test("mergeEntries: newest first, a fetched version replaces the one held, no duplicates", () => {
  const a = toEntry(SMS);
  const b = toEntry(EMAIL);
  const list = mergeEntries([a], [b]);
  assert.deepEqual(list.map((e) => e.id), [b.id, a.id]);
  const delivered: Entry = { ...b, status: "delivered" };
  const again = mergeEntries(list, [delivered, a]);
  assert.equal(again.length, 2);
  assert.equal(again[0].status, "delivered");
});
