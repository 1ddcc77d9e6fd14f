// The team inbox's parts of a thread, for the panes to plug in: its notes and system lines,
// and the composer's note mode with presence and the collision check.
import type { ComponentChildren } from "preact";
import type { Store } from "@/lib/client/store.ts";
import { nameOf } from "@/lib/client/team_store.ts";
import { addNote } from "@/lib/client/team_actions.ts";
import { typed } from "@/lib/client/presence.ts";
import { collision, draftDone, draftStarted } from "@/lib/client/collision.ts";
import type { Note } from "@/lib/shared/types.ts";
import { NoteLine } from "./NoteLine.tsx";

/** The open conversation's notes, and how each shows, for ThreadView. */
export function threadNotes(
  store: Store,
  conversationId: string | null,
): { notes: Note[]; renderNote: (n: Note) => ComponentChildren } {
  const held = store.team.notes.value;
  return {
    notes: held && held.conversationId === conversationId ? held.notes : [],
    renderNote: (n) => (
      <NoteLine
        note={n}
        nameOf={(id) => nameOf(store.team, id)}
        timeZone={store.timeZone.value}
      />
    ),
  };
}

/** The composer's team props: note mode, presence while typing, the collision warning. */
export function composerTeam(store: Store, conversationId: string | null) {
  if (!conversationId) return undefined;
  return {
    mode: store.team.compose.value,
    setMode: (mode: "reply" | "note") => store.team.compose.value = mode,
    onNote: (text: string) => {
      addNote(store, conversationId, text).catch((e) =>
        store.team.toast.value = `The note was not saved: ${(e as Error).message}`
      );
    },
    onTyping: typed,
    onDraft: (started: boolean) => started ? draftStarted(store) : draftDone(),
    collision: () => collision(store),
  };
}
