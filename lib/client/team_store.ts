// The team inbox's part of the store: the current view, its counts, the teammates and labels,
// the open thread's notes, who else is here, the selection for bulk actions, notifications.
import { type Signal, signal } from "@preact/signals";
import type { ConversationView, Label, Note, Teammate, ViewCounts } from "@/lib/shared/types.ts";

/** The list's view: one of the sidebar's, optionally narrowed to a label. */
export interface ViewState {
  view: ConversationView;
  label: string | null;
}

/** A teammate's presence in a conversation, as last heard. */
export interface PresenceEntry {
  conversation_id: string;
  user_id: string;
  name: string;
  state: "viewing" | "typing";
  /** When it was last heard here (Date.now()). */
  at: number;
}

/** Who is signed in. */
export interface Me {
  id: string;
  name: string;
  role: string;
}

/** The team state the islands share. */
export interface TeamState {
  me: Me | null;
  view: Signal<ViewState>;
  counts: Signal<ViewCounts | null>;
  teammates: Signal<Teammate[]>;
  labels: Signal<Label[]>;
  /** The open conversation's notes and system lines, oldest first. */
  notes: Signal<{ conversationId: string; notes: Note[] } | null>;
  /** Other people's presence, by user id. */
  presence: Signal<Record<string, PresenceEntry>>;
  /** Conversations ticked in the list for a bulk action. */
  selected: Signal<string[]>;
  /** Whether this user asked for desktop notifications. */
  notify: Signal<boolean>;
  /** Notifications since the tab was last looked at, for its title. */
  alerts: Signal<number>;
  /** The last notification's words, shown in the page too. */
  toast: Signal<string | null>;
  /** What the composer writes: a reply to the customer or an internal note. */
  compose: Signal<"reply" | "note">;
  /** The keyboard's pick list open in the team bar (`a` assign, `l` label), if any. */
  menu: Signal<"assign" | "label" | null>;
}

/** The parts of the team state a page's props can fill. */
export interface TeamSeed {
  me?: Me | null;
  view?: ViewState;
  counts?: ViewCounts | null;
  teammates?: Teammate[];
  labels?: Label[];
  notes?: { conversationId: string; notes: Note[] } | null;
  notify?: boolean;
}

/** Makes the team state, filled from a seed. */
export function createTeamState(): TeamState {
  return {
    me: null,
    view: signal({ view: "open", label: null }),
    counts: signal(null),
    teammates: signal([]),
    labels: signal([]),
    notes: signal(null),
    presence: signal({}),
    selected: signal([]),
    notify: signal(false),
    alerts: signal(0),
    toast: signal(null),
    compose: signal("reply"),
    menu: signal(null),
  };
}

/** Fills what a seed carries. */
export function seedTeam(team: TeamState, seed: TeamSeed | undefined): void {
  if (!seed) return;
  if (seed.me !== undefined) team.me = seed.me;
  if (seed.view) team.view.value = seed.view;
  if (seed.counts !== undefined) team.counts.value = seed.counts;
  if (seed.teammates) team.teammates.value = seed.teammates;
  if (seed.labels) team.labels.value = seed.labels;
  if (seed.notes !== undefined) team.notes.value = seed.notes;
  if (seed.notify !== undefined) team.notify.value = seed.notify;
}

/** A teammate's name as the inbox shows it: their name, else their email's local part. */
export function nameOf(team: TeamState, userId: string | null | undefined): string {
  if (!userId) return "Someone";
  const mate = team.teammates.value.find((u) => u.id === userId);
  if (!mate) return "A former teammate";
  return mate.name.trim() || mate.email.split("@")[0];
}
