// The conversation list's arrow keys: ↓ from the search box into the list, ↑ ↓ within it,
// Enter to open a conversation with the reply box focused (the rest: inbox_keys.ts).
import type { Shortcut } from "./shortcuts.ts";

/** Focuses the open conversation's reply box (or, in an email thread, its Reply button). */
export function focusReply(): void {
  const target = document.querySelector<HTMLElement>("#composer-text:not([disabled])") ??
    document.querySelector<HTMLElement>(".reader-head .button");
  target?.focus();
}

/** The list's shortcuts; the getters give the list's scroller and the search box as they are now. */
export function listShortcuts(parts: {
  list: () => HTMLElement | null;
  search: () => HTMLInputElement | null;
  open: (id: string) => Promise<void>;
}): Shortcut[] {
  const rows = () => Array.from(parts.list()?.querySelectorAll<HTMLAnchorElement>("a.row") ?? []);
  const onRow = () =>
    document.activeElement instanceof HTMLAnchorElement &&
    document.activeElement.matches("a.row") && !!parts.list()?.contains(document.activeElement);
  const inSearch = () => document.activeElement === parts.search();
  const step = (by: number) => (e: KeyboardEvent) => {
    const all = rows();
    if (inSearch()) {
      if (by > 0 && all[0]) {
        e.preventDefault();
        all[0].focus();
      }
      return;
    }
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    e.preventDefault();
    if (at === 0 && by < 0) return parts.search()?.focus();
    all[Math.max(0, Math.min(all.length - 1, at + by))]?.focus();
  };
  return [
    {
      keys: "ArrowDown",
      label: "Next conversation (from the search box: the first)",
      when: () => onRow() || inSearch(),
      inInputs: true,
      run: step(1),
    },
    {
      keys: "ArrowUp",
      label: "Previous conversation",
      when: onRow,
      run: step(-1),
    },
    {
      keys: "Enter",
      label: "Open the conversation, ready to reply",
      when: onRow,
      run: (e) => {
        const row = document.activeElement as HTMLAnchorElement;
        const id = row.dataset.conversation;
        if (!id) return;
        e.preventDefault();
        void parts.open(id).then(() => requestAnimationFrame(focusReply));
      },
    },
  ];
}
