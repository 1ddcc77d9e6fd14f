// The inbox's rule for live events: what an event carries is applied with no request; only what
// it cannot carry is fetched (requestFor, which applyEvent and bench/realtime.ts --tabs share).
import assert from "node:assert/strict";
import { requestFor, type TabView } from "@/lib/client/sync.ts";
import type { Conversation } from "@/lib/shared/types.ts";

const open = "c0ffee00-0000-4000-8000-000000000001";
const other = "c0ffee00-0000-4000-8000-000000000002";
const view = (known: string[] = []): TabView => ({
  openId: open,
  hasMessage: (id) => known.includes(id),
});
const row = { id: other } as Conversation;

Deno.test("a conversation event with its list row costs no request; one without asks for it", () => {
  assert.equal(
    requestFor("conversation_update", {
      conversation_id: other,
      action: "UPDATE",
      conversation: row,
    }, view()),
    null,
  );
  assert.equal(
    requestFor("conversation_update", { conversation_id: other, action: "UPDATE" }, view()),
    `/api/conversation/${other}`,
  );
  assert.equal(
    requestFor("conversation_update", { conversation_id: other, action: "DELETE" }, view()),
    null,
  );
});

Deno.test("a status change of a message the tab holds costs nothing; a new or unknown message is fetched", () => {
  const change = {
    conversation_id: open,
    action: "UPDATE" as const,
    message_id: "m1",
    status: "delivered" as const,
    updated_at: new Date().toISOString(),
  };
  assert.equal(requestFor("message_update", change, view(["m1"])), null);
  assert.equal(requestFor("message_update", change, view()), "/api/message/m1");
  assert.equal(
    requestFor("message_update", { ...change, action: "INSERT" }, view()),
    "/api/message/m1",
    "a body the tab has never seen",
  );
  // From a server that sends only ids, every change is fetched, as before.
  assert.equal(
    requestFor(
      "message_update",
      { conversation_id: open, action: "UPDATE", message_id: "m1" },
      view(["m1"]),
    ),
    "/api/message/m1",
  );
});

Deno.test("events of threads the tab does not show cost nothing", () => {
  assert.equal(
    requestFor(
      "message_update",
      { conversation_id: other, action: "INSERT", message_id: "m2" },
      view(),
    ),
    null,
  );
  assert.equal(
    requestFor(
      "email_update",
      { conversation_id: other, action: "INSERT", email_id: "e1" },
      view(),
    ),
    null,
  );
});

Deno.test("a new customer message asks for this user's row: unread counts are per user", () => {
  const at = "2026-01-01T00:00:00.000Z";
  const later = "2026-01-01T00:00:05.000Z";
  const held = { id: other, last_direction: "outbound", last_message_time: at } as Conversation;
  const tab: TabView = { ...view(), conversation: (id) => id === other ? held : undefined };
  const inbound = { ...held, last_direction: "inbound", last_message_time: later } as Conversation;
  const e = { conversation_id: other, action: "UPDATE" as const, conversation: inbound };
  assert.equal(requestFor("conversation_update", e, tab), `/api/conversation/${other}`);
  // The same row again (another change of that conversation) costs nothing.
  const seen = { ...tab, conversation: () => inbound };
  assert.equal(requestFor("conversation_update", e, seen), null);
});
