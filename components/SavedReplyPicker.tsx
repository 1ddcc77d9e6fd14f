// Saved replies in the composer: typing `/` and a few letters lists the matching replies; Enter,
// Tab or a click puts one in, its variables filled from the conversation. A variable without a
// value stays as {{name}} and the composer will not send until someone writes it in.
import { useState } from "preact/hooks";
import type { SavedReply } from "@/lib/saved_replies/schemas.ts";
import { api } from "@/lib/client/api.ts";
import { fillTemplate } from "@/lib/shared/template.ts";

type List = { saved_replies: SavedReply[]; values: Record<string, string> };
let cache: Promise<List> | null = null;

/** The `/word` being typed at the caret, or null. */
export function slashQuery(text: string, caret: number): string | null {
  const m = text.slice(0, caret).match(/(?:^|\s)\/([\p{L}\p{N}_-]*)$/u);
  return m ? m[1] : null;
}

/** The picker's state and its key handling, for the composer's textarea. */
export function useSavedReplies(options: {
  contact: Record<string, string>;
  onInsert: (text: string, caret: number) => void;
}) {
  const [list, setList] = useState<List | null>(null);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const [caret, setCaret] = useState(0);
  const [text, setText] = useState("");

  const matches = query === null || !list ? [] : list.saved_replies
    .filter((r) => r.title.toLowerCase().includes(query.toLowerCase())).slice(0, 6);

  const insert = (reply: SavedReply) => {
    const start = text.slice(0, caret).lastIndexOf("/");
    const filled = fillTemplate(reply.body, { ...list!.values, ...options.contact }, {
      keepMissing: true,
    }).text;
    const next = text.slice(0, start) + filled + text.slice(caret);
    setQuery(null);
    options.onInsert(next, start + filled.length);
  };

  return {
    matches,
    active,
    open: query !== null && matches.length > 0,
    insert,
    /** Call on every input with the text and the caret. */
    typed(value: string, at: number) {
      setText(value);
      setCaret(at);
      const q = slashQuery(value, at);
      setQuery(q);
      setActive(0);
      if (q !== null && !list) {
        cache ??= api<List>("/api/saved_replies").catch((e) => {
          cache = null;
          throw e;
        });
        cache.then(setList).catch(() => {});
      }
    },
    /** Handles the picker's keys; true when it took the key. */
    key(e: KeyboardEvent): boolean {
      if (query === null || !matches.length) return false;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        const step = e.key === "ArrowDown" ? 1 : -1;
        setActive((active + step + matches.length) % matches.length);
      } else if (e.key === "Enter" || e.key === "Tab") insert(matches[active]);
      else if (e.key === "Escape") setQuery(null);
      else return false;
      e.preventDefault();
      return true;
    },
  };
}

/** The list of matching replies above the composer. */
export function SavedReplyMenu(props: {
  matches: SavedReply[];
  active: number;
  onPick: (r: SavedReply) => void;
}) {
  return (
    <ul class="saved-reply-menu" role="listbox" aria-label="Saved replies">
      {props.matches.map((r, i) => (
        <li
          key={r.id}
          role="option"
          aria-selected={i === props.active}
          class={i === props.active ? "is-active" : ""}
          onMouseDown={(e) => {
            e.preventDefault();
            props.onPick(r);
          }}
        >
          <strong>{r.title}</strong>
          <span class="saved-reply-body">{r.body}</span>
        </li>
      ))}
    </ul>
  );
}
