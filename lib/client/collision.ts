// The warning before sending when someone else replied meanwhile: what the thread held when
// this reader began writing is kept, and at send time any reply that came since from elsewhere
// (not this tab's own) is named.
import type { Store } from "./store.ts";

let snapshot: { conversationId: string; ids: Set<string>; bodies: Set<string> } | null = null;

/** The reader began a reply: remember the replies already there. */
export function draftStarted(store: Store): void {
  const t = store.thread.value;
  if (!t?.conversationId) return;
  const outbound = t.messages.filter((m) => m.direction === "outbound");
  snapshot = {
    conversationId: t.conversationId,
    ids: new Set(outbound.map((m) => m.id)),
    // This tab's own sends still on their way come back under a new id.
    bodies: new Set(outbound.filter((m) => m.local).map((m) => m.body)),
  };
}

/** The reply was sent or dropped. */
export function draftDone(): void {
  snapshot = null;
}

/** Words for the warning when someone else replied since the draft began, else null. */
export function collision(store: Store): string | null {
  const t = store.thread.value;
  if (!t || !snapshot || snapshot.conversationId !== t.conversationId) return null;
  const s = snapshot;
  const fresh = t.messages.filter((m) =>
    m.direction === "outbound" && !m.local && !s.ids.has(m.id) && !s.bodies.has(m.body)
  );
  if (!fresh.length) return null;
  const here = Object.values(store.team.presence.value)
    .filter((p) => p.conversation_id === t.conversationId);
  const who = here.length === 1 ? here[0].name : "A teammate";
  const said = fresh[fresh.length - 1].body;
  return `${who} replied while you were writing: “${
    said.length > 80 ? `${said.slice(0, 80)}…` : said
  }”`;
}
