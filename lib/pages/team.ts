// The team inbox's part of the inbox page's first screen: the view from the address, its
// counts, the teammates, the labels, the open thread's notes, and who is asking.
import type { Tx } from "@/lib/db/connect.ts";
import { ConversationView } from "@/lib/conversations/schemas.ts";
import { viewCounts } from "@/lib/conversations/views.ts";
import { listLabels } from "@/lib/conversations/labels.ts";
import { listNotes, listTeammates } from "@/lib/conversations/notes.ts";
import { userNotifies } from "@/lib/conversations/settings.ts";
import type { TeamSeed, ViewState } from "@/lib/client/team_store.ts";
import { isUuid } from "./common.ts";

/** The list's view from `?view=` and `?label=`: All open unless asked (unknown words too). */
export function viewFromUrl(view: string | null, label: string | null): ViewState {
  const parsed = ConversationView.safeParse(view ?? "open");
  return {
    view: parsed.success ? parsed.data : "open",
    label: label && isUuid(label) ? label.toLowerCase() : null,
  };
}

/** Everything the team parts of the inbox render first. */
export async function teamSeed(
  sql: Tx,
  options: {
    view: ViewState;
    openId: string | null;
    user: { id: string; role: string } | null;
  },
): Promise<TeamSeed> {
  const { user } = options;
  const [counts, teammates, labels, notes, notify] = await Promise.all([
    viewCounts(sql, user?.id),
    listTeammates(sql),
    listLabels(sql),
    options.openId ? listNotes(sql, options.openId) : Promise.resolve(null),
    user ? userNotifies(sql, user.id) : Promise.resolve(false),
  ]);
  const mate = user ? teammates.find((u) => u.id === user.id) : undefined;
  return {
    me: user
      ? {
        id: user.id,
        name: mate ? mate.name.trim() || mate.email.split("@")[0] : "",
        role: user.role,
      }
      : null,
    view: options.view,
    counts,
    teammates,
    labels,
    notes: options.openId && notes ? { conversationId: options.openId, notes } : null,
    notify,
  };
}
