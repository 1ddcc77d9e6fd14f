// Full-text search from the inbox's filter box: the same text that filters the conversation list
// also asks `GET /api/search` for messages and emails containing it. Matches are cut to a small
// window of text around the first hit (the server does the same for the first screen), and the
// words found are marked by splitting the text, never by building HTML.
import { api, query } from "./api.ts";
import type { Store } from "./store.ts";
import type { Hit, Item } from "./types.ts";
import { itemRow } from "./item_row.ts";

/** Results per page, small: they sit under the conversations in a narrow column. */
export const SEARCH_PAGE = 20;
/** Characters of context kept before the first match. */
const LEAD = 36;
/** Characters a hit's text keeps in all. */
const WINDOW = 220;

/** The words of a search as the reader typed them: phrases split, operators and quotes dropped. */
export function searchTerms(q: string): string[] {
  const words = q.toLowerCase().replace(/"/g, " ").split(/\s+/)
    .filter((w) => w && w !== "or" && !w.startsWith("-"))
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
    .filter(Boolean);
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// A term matches at the start of a word, as PostgreSQL's prefix match does.
function termPattern(terms: string[]): RegExp | null {
  if (!terms.length) return null;
  return new RegExp(`(^|[^\\p{L}\\p{N}])(${terms.map(escapeRegExp).join("|")})`, "giu");
}

/** A window of `text` starting a little before the first match, with an ellipsis where cut. */
export function excerpt(text: string, q: string, size = WINDOW): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const re = termPattern(searchTerms(q));
  const m = re?.exec(flat);
  const at = m ? m.index + m[1].length : 0;
  if (at <= LEAD) return flat.length > size ? `${flat.slice(0, size).trimEnd()}…` : flat;
  // Start on a word boundary so the excerpt never opens mid-word.
  const space = flat.lastIndexOf(" ", at - LEAD);
  const start = space < 0 ? 0 : space + 1;
  const end = start + size;
  return `${start > 0 ? "…" : ""}${flat.slice(start, end).trim()}${end < flat.length ? "…" : ""}`;
}

/** One piece of a result's text: matched words are marked. */
export interface Piece {
  text: string;
  hit: boolean;
}

/** Splits text into plain and matched pieces, for rendering matches as <mark> elements. */
export function markMatches(text: string, q: string): Piece[] {
  const re = termPattern(searchTerms(q));
  if (!re) return [{ text, hit: false }];
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const start = m.index + m[1].length;
    if (start > last) pieces.push({ text: text.slice(last, start), hit: false });
    pieces.push({ text: m[2], hit: true });
    last = start + m[2].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), hit: false });
  return pieces;
}

/** What a result row needs of a message or an email. */
export function toHit(item: Item, q: string): Hit {
  return itemRow(item, (body) => excerpt(body, q));
}

type SearchAnswer = { results: Item[]; next_cursor: string | null };

let timer: ReturnType<typeof setTimeout> | undefined;
let seq = 0;

/** Searches message and email text for the filter text, a moment after typing stops. */
export function searchFor(store: Store, text: string): void {
  clearTimeout(timer);
  const q = text.trim();
  if (!q) {
    seq++;
    store.search.value = null;
    return;
  }
  const prev = store.search.value;
  // Keep the previous results on screen while the next ones come, so the list does not jump.
  store.search.value = {
    q: prev?.q ?? q,
    hits: prev?.hits ?? [],
    cursor: prev?.cursor ?? null,
    loading: true,
    error: null,
  };
  timer = setTimeout(async () => {
    const mine = ++seq;
    try {
      const page = await api<SearchAnswer>(`/api/search${query({ q, limit: SEARCH_PAGE })}`);
      if (mine !== seq) return;
      store.search.value = {
        q,
        hits: page.results.map((r) => toHit(r, q)),
        cursor: page.next_cursor,
        loading: false,
        error: null,
      };
    } catch (e) {
      if (mine !== seq) return;
      store.search.value = {
        q,
        hits: [],
        cursor: null,
        loading: false,
        error: e instanceof Error ? e.message : String(e),
      };
    }
  }, 200);
}

/** Loads the next page of search results. */
export async function moreResults(store: Store): Promise<void> {
  const s = store.search.value;
  if (!s || !s.cursor || s.loading) return;
  const mine = seq;
  store.search.value = { ...s, loading: true };
  try {
    const page = await api<SearchAnswer>(
      `/api/search${query({ q: s.q, limit: SEARCH_PAGE, before: s.cursor })}`,
    );
    if (mine !== seq) return;
    const known = new Set(s.hits.map((h) => h.id));
    store.search.value = {
      ...s,
      hits: [...s.hits, ...page.results.filter((r) => !known.has(r.id)).map((r) => toHit(r, s.q))],
      cursor: page.next_cursor,
      loading: false,
    };
  } catch (e) {
    if (mine !== seq) return;
    store.search.value = {
      ...s,
      loading: false,
      error: e instanceof Error ? e.message : String(e),
    };
  }
}

/** After a hit's conversation opens: brings the matching message into view and marks it a moment. */
export function revealHit(hit: Hit): void {
  requestAnimationFrame(() => {
    const attr = hit.kind === "email" ? "data-email" : "data-message";
    const el = document.querySelector<HTMLElement>(`[${attr}="${CSS.escape(hit.id)}"]`);
    if (!el) return;
    el.scrollIntoView({ block: "center" });
    el.classList.add("is-found");
    setTimeout(() => el.classList.remove("is-found"), 2400);
  });
}
