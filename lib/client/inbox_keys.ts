// The inbox's keyboard shortcuts: j/k move in the list, e closes, a assigns, r replies,
// n writes a note, l labels, / searches, ? lists them.
import { openConversation } from "./actions.ts";
import { changeConversation } from "./team_actions.ts";
import { HELP_SHORTCUT, type Shortcut } from "./shortcuts.ts";
import type { Store } from "./store.ts";

function focus(selector: string): void {
  const el = document.querySelector<HTMLElement>(selector);
  el?.focus();
  el?.scrollIntoView({ block: "nearest" });
}

function step(store: Store, by: 1 | -1): void {
  const list = store.conversations.value;
  if (!list.length) return;
  const at = list.findIndex((c) => c.id === store.selectedId.value);
  const next = at < 0 ? (by > 0 ? 0 : list.length - 1) : at + by;
  const target = list[Math.max(0, Math.min(list.length - 1, next))];
  if (target.id === store.selectedId.value) return;
  void openConversation(store, target.id).then(() =>
    document.querySelector(`a.row[data-conversation="${target.id}"]`)?.scrollIntoView({
      block: "nearest",
    })
  );
}

function compose(store: Store, mode: "reply" | "note"): void {
  store.team.compose.value = mode;
  // After the render that switched the mode.
  requestAnimationFrame(() => focus("#composer-text"));
}

/** The inbox's shortcuts, over the page's store. */
export function inboxShortcuts(store: Store): Shortcut[] {
  const open = () => store.open.value !== null;
  return [
    { keys: "j", label: "Next conversation", run: () => step(store, 1) },
    { keys: "k", label: "Previous conversation", run: () => step(store, -1) },
    {
      keys: "e",
      label: "Close the conversation",
      when: () => store.open.value?.state === "open",
      run: () => {
        const id = store.open.value!.id;
        changeConversation(store, id, { state: "closed" }).catch((e) =>
          store.team.toast.value = (e as Error).message
        );
      },
    },
    {
      keys: "a",
      label: "Assign (arrows, then Enter)",
      when: open,
      run: () => store.team.menu.value = "assign",
    },
    { keys: "r", label: "Reply", when: open, run: () => compose(store, "reply") },
    { keys: "n", label: "Write an internal note", when: open, run: () => compose(store, "note") },
    {
      keys: "l",
      label: "Add a label (arrows, then Enter)",
      when: open,
      run: () => store.team.menu.value = "label",
    },
    { keys: "/", label: "Search", run: () => focus("#filter") },
    HELP_SHORTCUT,
  ];
}
