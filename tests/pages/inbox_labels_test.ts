// The inbox's first screen names the phone numbers it shows, so the browser need not load
// libphonenumber to hydrate: SMS conversations' both sides and SMS search hits, nothing else.
import assert from "node:assert/strict";
import { inboxLabels } from "@/lib/pages/inbox.ts";
import type { Conversation, Hit } from "@/lib/shared/types.ts";

function conv(channel: Conversation["channel"], ours: string, theirs: string): Conversation {
  return {
    id: crypto.randomUUID(),
    conversation_id: crypto.randomUUID(),
    channel,
    participants: [ours, theirs],
    contact: theirs,
    contact_id: null,
    contact_name: null,
    subject: null,
    last_message: "hi",
    last_message_time: "2025-01-01T00:00:00.000Z",
    last_direction: "inbound",
    message_count: 1,
    unread_count: 0,
    last_sender: null,
    last_failed: false,
    state: "open",
    snoozed_until: null,
    assignee_id: null,
    label_ids: [],
  };
}

function hit(channel: Hit["channel"], address: string): Hit {
  return {
    kind: channel === "email" ? "email" : "message",
    id: crypto.randomUUID(),
    conversation_id: crypto.randomUUID(),
    channel,
    direction: "inbound",
    address,
    subject: null,
    text: "hi",
    sender: null,
    timestamp: "2025-01-01T00:00:00.000Z",
  };
}

Deno.test("inboxLabels: both sides of SMS conversations and SMS hits, national at home", () => {
  const labels = inboxLabels(
    [
      conv("sms", "+15005550006", "+14155550100"),
      conv("chat", "agent", "+14155550101"),
      conv("email", "us@example.com", "them@example.com"),
    ],
    [hit("sms", "+442071838750"), hit("email", "them@example.com")],
    "US",
  );
  assert.deepEqual(labels, {
    "+15005550006": "(500) 555-0006",
    "+14155550100": "(415) 555-0100",
    "+442071838750": "+44 20 7183 8750",
  });
});
