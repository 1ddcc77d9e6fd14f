// Search text as a result row shows it, the same on the server's first screen and in the
// browser: matches cut to a small window of text around the first hit, and the words found
// marked by splitting the text, never by building HTML.
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
