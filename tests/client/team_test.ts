import assert from "node:assert/strict";
import { createStore } from "@/lib/client/store.ts";
import { inView } from "@/lib/client/team_views.ts";
import { snoozePresets } from "@/lib/client/snooze.ts";
import { systemWords } from "@/components/NoteLine.tsx";
import type { Conversation, Note } from "@/lib/shared/types.ts";

const ME = "00000000-0000-4000-8000-000000000001";
const BEN = "00000000-0000-4000-8000-000000000002";
const VIP = "00000000-0000-4000-8000-0000000000aa";

function conv(extra: Partial<Conversation>): Conversation {
  return {
    id: "c1",
    conversation_id: "c1",
    channel: "sms",
    participants: ["+15005550006", "+14155550100"],
    contact: "+14155550100",
    contact_id: null,
    contact_name: null,
    subject: null,
    last_message: "hi",
    last_message_time: "2026-01-01T12:00:00.000Z",
    last_direction: "inbound",
    message_count: 1,
    unread_count: 0,
    state: "open",
    snoozed_until: null,
    assignee_id: null,
    label_ids: [],
    last_sender: null,
    last_failed: false,
    ...extra,
  };
}

Deno.test("a conversation is in the views its state, assignee and labels put it in", () => {
  const store = createStore({ team: { me: { id: ME, name: "Ana", role: "agent" } } });
  const at = (view: Conversation["state"] | "mine" | "unassigned" | "all", label?: string) => {
    store.team.view.value = { view, label: label ?? null };
    return (c: Partial<Conversation>) => inView(store, conv(c));
  };
  assert.ok(at("mine")({ assignee_id: ME }));
  assert.ok(!at("mine")({ assignee_id: BEN }));
  assert.ok(!at("mine")({ assignee_id: ME, state: "closed" }));
  assert.ok(at("unassigned")({}));
  assert.ok(!at("unassigned")({ assignee_id: BEN }));
  assert.ok(at("closed")({ state: "closed" }));
  assert.ok(!at("open")({ state: "snoozed", snoozed_until: "2026-01-02T09:00:00Z" }));
  assert.ok(at("open", VIP)({ label_ids: [VIP] }));
  assert.ok(!at("open", VIP)({}));
  assert.ok(at("all")({ state: "closed" }));
});

Deno.test("snooze presets: later today, tomorrow at 9, next Monday at 9", () => {
  // A Wednesday afternoon.
  const now = new Date(2026, 0, 7, 14, 30);
  const [later, tomorrow, week] = snoozePresets(now);
  assert.equal(later.until.getTime() - now.getTime(), 3 * 3_600_000);
  assert.deepEqual([tomorrow.until.getDate(), tomorrow.until.getHours()], [8, 9]);
  assert.deepEqual([week.until.getDay(), week.until.getDate(), week.until.getHours()], [1, 12, 9]);
  // On a Monday, next week is a week away, not today.
  const monday = snoozePresets(new Date(2026, 0, 12, 8, 0))[2].until;
  assert.equal(monday.getDate(), 19);
});

Deno.test("system lines say who did what", () => {
  const names: Record<string, string> = { [ME]: "Ana", [BEN]: "Ben" };
  const name = (id: string | null | undefined) => id ? names[id] ?? "?" : "Someone";
  const line = (author: string | null, detail: Record<string, unknown>) =>
    systemWords(
      {
        id: "n",
        conversation_id: "c",
        kind: "system",
        author_id: author,
        body: "",
        mentions: [],
        detail,
        created_at: "2026-01-01T00:00:00Z",
      } satisfies Note,
      name,
      "UTC",
    );
  assert.equal(line(ME, { action: "assigned", assignee_id: BEN }), "Ana assigned this to Ben");
  assert.equal(line(ME, { action: "assigned", assignee_id: ME }), "Ana took this");
  assert.equal(
    line(BEN, { action: "assigned", assignee_id: BEN, cause: "auto" }),
    "Assigned to Ben, who replied",
  );
  assert.equal(line(ME, { action: "closed" }), "Closed by Ana");
  assert.equal(
    line(null, { action: "reopened", cause: "reply" }),
    "Reopened by the customer's reply",
  );
  assert.equal(line(null, { action: "reopened", cause: "snooze" }), "Back from snooze");
  assert.equal(
    line(ME, { action: "snoozed", until: "2026-01-05T09:00:00Z" }),
    "Snoozed by Ana until Mon 9:00 AM",
  );
});
