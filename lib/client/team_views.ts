// Which conversations the list's view holds, and the view as an address and as API parameters.
import { query } from "./api.ts";
import type { Store } from "./store.ts";
import type { ViewState } from "./team_store.ts";
import type { Conversation } from "@/lib/shared/types.ts";

/** The list's view as query parameters of `GET /api/conversations`. */
export function viewParams(store: Store): { view: string; label: string | undefined } {
  const { view, label } = store.team.view.value;
  return { view, label: label ?? undefined };
}

/** Whether a conversation belongs in the list's current view. */
export function inView(store: Store, c: Conversation): boolean {
  const { view, label } = store.team.view.value;
  if (label && !c.label_ids.includes(label)) return false;
  switch (view) {
    case "mine":
      return c.state === "open" && c.assignee_id === store.team.me?.id;
    case "unassigned":
      return c.state === "open" && c.assignee_id === null;
    case "open":
    case "snoozed":
    case "closed":
      return c.state === view;
    default:
      return true;
  }
}

/** The address of a view (and the open conversation, kept). */
export function viewHref(view: ViewState, open?: string | null): string {
  // All open is the inbox's first view: its address needs no `view`.
  const name = view.view === "open" && !view.label ? undefined : view.view;
  return `/${query({ view: name, label: view.label, c: open ?? undefined })}`;
}
