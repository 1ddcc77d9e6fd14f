// Keyboard shortcuts: one registry for the page. Islands register theirs with useShortcuts;
// one keydown listener runs the first that matches (never while a field has the focus, nor
// with Ctrl, Cmd or Alt held); `shortcutList` feeds the `?` dialog that lists them all.
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";

/** One shortcut: the key (as KeyboardEvent.key names it), its words, what it does, and when. */
export type Shortcut = {
  keys: string;
  label: string;
  run: (e: KeyboardEvent) => void;
  when?: () => boolean;
  /** Also runs while a field has the focus (its `when` says which field: ↓ from the search box). */
  inInputs?: boolean;
};

/** Every registered shortcut, in registration order. */
export const shortcutList = signal<Shortcut[]>([]);

/** Whether the `?` dialog is open. */
export const shortcutHelpOpen = signal(false);

const lists = new Set<Shortcut[]>();
let listening = false;

/** Whether a key pressed in `target` is text being typed (a field, an editable element). */
export function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.isContentEditable;
}

/** Runs the shortcut for a key press, if one matches; exported for tests of the matching. */
export function handleKey(e: KeyboardEvent, list: readonly Shortcut[]): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return false;
  const typing = typingIn(e.target);
  if (typing) {
    // Escape leaves a field, so the keys work again without the mouse (in a dialog, Escape
    // is the dialog's: it closes it).
    const field = e.target as HTMLElement;
    if (e.key === "Escape" && !field.closest("dialog")) field.blur();
  }
  const hit = list.find((s) =>
    s.keys === e.key && (!typing || s.inInputs) && !(e.shiftKey && s.keys.length > 1) &&
    (s.when?.() ?? true)
  );
  if (!hit) return false;
  e.preventDefault();
  hit.run(e);
  return true;
}

function publish(): void {
  shortcutList.value = [...lists].flat();
}

/** Registers shortcuts while the calling component is mounted. */
export function useShortcuts(list: Shortcut[]): void {
  useEffect(() => {
    lists.add(list);
    publish();
    if (!listening) {
      listening = true;
      document.addEventListener("keydown", (e) => void handleKey(e, shortcutList.value));
    }
    return () => {
      lists.delete(list);
      publish();
    };
  }, []);
}

/** The `?` shortcut itself, which lists the others. */
export const HELP_SHORTCUT: Shortcut = {
  keys: "?",
  label: "Show the keyboard shortcuts",
  run: () => shortcutHelpOpen.value = true,
};
