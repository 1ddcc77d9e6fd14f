import assert from "node:assert/strict";
import {
  compareConversations,
  isNewer,
  matchesFilter,
  mergeRows,
  upsertConversation,
} from "@/lib/client/merge.ts";
import type { Conversation, Message } from "@/lib/shared/types.ts";
import type { LocalMessage } from "@/lib/client/store.ts";

function conv(id: string, minute: number, extra: Partial<Conversation> = {}): Conversation {
  return {
    id,
    conversation_id: id,
    channel: "sms",
    participants: ["+15005550006", "+14155550100"],
    contact: "+14155550100",
    contact_id: null,
    contact_name: null,
    subject: null,
    last_message: "hi",
    last_message_time: new Date(Date.UTC(2025, 0, 1, 12, minute)).toISOString(),
    last_direction: "inbound",
    message_count: 1,
    unread_count: 0,
    last_sender: null,
    last_failed: false,
    state: "open",
    snoozed_until: null,
    assignee_id: null,
    label_ids: [],
    ...extra,
  };
}

function msg(id: string, second: number, extra: Partial<Message> = {}): Message {
  const t = new Date(Date.UTC(2025, 0, 1, 12, 0, second)).toISOString();
  return {
    id,
    conversation_id: "c",
    channel: "sms",
    direction: "outbound",
    from_contact: "+15005550006",
    to_contact: "+14155550100",
    body: `body ${id}`,
    media: [],
    status: "queued",
    error_code: null,
    error_message: null,
    keyword: null,
    send_at: null,
    marketing: false,
    held_until: null,
    sent_by: null,
    timestamp: t,
    updated_at: t,
    ...extra,
  };
}

Deno.test("isNewer: a later update wins; at the same moment only a status further along", () => {
  const t1 = "2025-01-01T00:00:01.000Z";
  const t2 = "2025-01-01T00:00:02.000Z";
  assert.ok(isNewer({ updated_at: t2, status: "queued" }, { updated_at: t1, status: "failed" }));
  assert.ok(!isNewer({ updated_at: t1, status: "delivered" }, { updated_at: t2, status: "sent" }));
  assert.ok(isNewer({ updated_at: t1, status: "delivered" }, { updated_at: t1, status: "sent" }));
  assert.ok(!isNewer({ updated_at: t1, status: "sent" }, { updated_at: t1, status: "delivered" }));
});

Deno.test("upsertConversation: moves an updated conversation to the top", () => {
  const list = [conv("a", 3), conv("b", 2), conv("c", 1)];
  const next = upsertConversation(list, conv("c", 5), { complete: false, include: true });
  assert.deepEqual(next.map((c) => c.id), ["c", "a", "b"]);
});

Deno.test("upsertConversation: a new one older than the loaded pages waits for paging", () => {
  const list = [conv("a", 3), conv("b", 2)];
  assert.equal(upsertConversation(list, conv("z", 1), { complete: false, include: true }), list);
  const all = upsertConversation(list, conv("z", 1), { complete: true, include: true });
  assert.deepEqual(all.map((c) => c.id), ["a", "b", "z"]);
});

Deno.test("upsertConversation: a new one that the filter excludes stays out", () => {
  const list = [conv("a", 3)];
  assert.equal(upsertConversation(list, conv("n", 9), { complete: true, include: false }), list);
});

Deno.test("compareConversations: ties broken by id, descending", () => {
  assert.ok(compareConversations(conv("b", 1), conv("a", 1)) < 0);
});

Deno.test("matchesFilter: by name, text, and digits of a number however typed", () => {
  const c = conv("a", 1, { contact_name: "Dana Scully", last_message: "See you at 5" });
  assert.ok(matchesFilter(c, "dana"));
  assert.ok(matchesFilter(c, "see you"));
  assert.ok(matchesFilter(c, "(415) 555"));
  assert.ok(!matchesFilter(c, "mulder"));
  assert.ok(matchesFilter(c, ""));
});

Deno.test("mergeRows: keeps order, replaces only with newer versions", () => {
  const a = msg("a", 1);
  const b = msg("b", 2);
  const merged = mergeRows([a, b], [
    msg("b", 2, { status: "sent", updated_at: "2025-01-01T12:00:05.000Z" }),
    msg("0", 0),
  ]);
  assert.deepEqual(merged.map((m) => m.id), ["0", "a", "b"]);
  assert.equal(merged[2].status, "sent");
  const stale = mergeRows(merged, [msg("b", 2, { status: "queued" })]);
  assert.equal(stale, merged);
});

Deno.test("mergeRows: rows older than the floor stay out, held or incoming", () => {
  const [a, b, c] = [msg("a", 1), msg("b", 2), msg("c", 3)];
  // A status event's fetch of a message from a page not loaded yet.
  const held = [b, c];
  assert.equal(mergeRows(held, [a], { floor: b }), held);
  assert.deepEqual(mergeRows(held, [a]).map((m) => m.id), ["a", "b", "c"]);
  // A first page (b, c) arriving after a live event brought an older row.
  assert.deepEqual(mergeRows([a], [b, c], { floor: b }).map((m) => m.id), ["b", "c"]);
});

Deno.test("mergeRows: the server's copy of our own send replaces the local one", () => {
  const local: LocalMessage = {
    ...msg("local-k", 9, { body: "Hello there" }),
    local: { state: "sending", key: "k" },
  };
  const merged = mergeRows<LocalMessage>([msg("a", 1), local], [
    msg("real", 8, { body: "Hello there" }),
  ]);
  assert.deepEqual(merged.map((m) => m.id), ["a", "real"]);
});
