// Full-text search from the inbox's filter box: the same text that filters the conversation list
// also asks `GET /api/search` for messages and emails containing it, cut for the result list as
// the server cuts its first screen (lib/shared/search_text.ts).
import { api, errorWords, query } from "./api.ts";
import type { Store } from "./store.ts";
import type { Hit, SearchAnswer } from "@/lib/shared/types.ts";
import { SEARCH_PAGE, toHit } from "@/lib/shared/search_text.ts";

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
        error: errorWords(e),
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
      error: errorWords(e),
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
