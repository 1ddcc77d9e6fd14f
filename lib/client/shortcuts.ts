// Keyboard shortcuts: a small registry every island adds to while it is mounted. One keydown
// listener on the document runs the first registered shortcut whose keys match (and whose
// `when` holds); keys typed into a text field are left to the field unless the shortcut says
// `inInputs`. `shortcutList` holds what is registered, for the `?` dialog to list.
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";

/**
 * One shortcut. `keys` is a `KeyboardEvent.key` (`?`, `/`, `j`, `ArrowDown`, `Enter`), with
 * optional `Ctrl+`, `Alt+`, `Meta+` or `Shift+` in front (Shift only for keys whose character
 * does not already say it: `Shift+Enter`).
 */
export type Shortcut = {
  keys: string;
  label: string;
  run: (e: KeyboardEvent) => void;
  when?: () => boolean;
  /** Also runs while a text field has focus (its own `when` should say which field). */
  inInputs?: boolean;
};

/** Every shortcut registered right now, in registration order. */
export const shortcutList = signal<readonly Shortcut[]>([]);

function matches(keys: string, e: KeyboardEvent): boolean {
  const parts = keys.length > 1 ? keys.split("+") : [keys];
  const key = parts.pop() || "+";
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  if (e.ctrlKey !== mods.has("ctrl") || e.altKey !== mods.has("alt")) return false;
  if (e.metaKey !== mods.has("meta")) return false;
  // A character already says whether Shift was held ("?" is Shift+/ on most layouts).
  if (key.length > 1 && e.shiftKey !== mods.has("shift")) return false;
  return e.key === key || (key.length === 1 && e.key.toLowerCase() === key && !e.shiftKey);
}

/** Whether focus is in a place that takes typing: an input, a textarea, a select, an editor. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el?.tagName) return false;
  return /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.isContentEditable;
}

function onKey(e: KeyboardEvent): void {
  if (e.defaultPrevented || e.isComposing) return;
  const typing = isTyping(e.target);
  for (const s of shortcutList.value) {
    if (typing && !s.inInputs) continue;
    if (!matches(s.keys, e)) continue;
    if (s.when && !s.when()) continue;
    s.run(e);
    return;
  }
}

let listening = false;

/** Registers `list` while the calling component is mounted (the list is read once, at mount). */
export function useShortcuts(list: Shortcut[]): void {
  useEffect(() => {
    shortcutList.value = [...shortcutList.value, ...list];
    if (!listening) {
      document.addEventListener("keydown", onKey);
      listening = true;
    }
    return () => {
      shortcutList.value = shortcutList.value.filter((s) => !list.includes(s));
    };
  }, []);
}

/** How a shortcut's keys are written in the `?` dialog. */
export function keysWords(keys: string): string {
  return keys.replace("ArrowDown", "↓").replace("ArrowUp", "↑").replace("Escape", "Esc");
}
