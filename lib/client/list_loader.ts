// The list's first page for the current view and filter. A new filter and a switch of views both
// replace the list with it through one sequence, so whichever was asked last is what the list
// shows, however their answers cross; a request that fails is asked again, then named in the list.
import { batch } from "@preact/signals";
import { api, ApiError, errorWords, query } from "./api.ts";
import { viewParams } from "./team_views.ts";
import type { Store } from "./store.ts";
import type { ConversationsAnswer } from "@/lib/shared/types.ts";

/** Rows per page, as the API pages them. */
export const PAGE = 50;

/** Waits before asking again after a failed request (a restart, a dropped connection). */
const RETRIES_MS = [500, 1_500, 4_000];

let latest = 0;

/** A page of the list for the view and filter the store holds now: the first, or the one `before`. */
export function fetchPage(store: Store, before?: string): Promise<ConversationsAnswer> {
  return api<ConversationsAnswer>(
    `/api/conversations${
      query({ limit: PAGE, before, q: store.filter.value.trim(), ...viewParams(store) })
    }`,
  );
}

/**
 * Replaces the list with its first page after `delayMs` (a pause in typing). A failed request is
 * asked again after 0.5, 1.5 and 4 s (a refusal in words at once), then `failure` and the reason
 * show in the list instead of the old rows passing for the answer. Resolves to whether the list
 * now holds this call's answer: false once it failed, or a later call took over.
 */
export async function replaceList(
  store: Store,
  options: { failure: string; delayMs?: number },
): Promise<boolean> {
  const mine = ++latest;
  for (let tries = 0;; tries++) {
    const wait = tries === 0 ? options.delayMs ?? 0 : RETRIES_MS[tries - 1];
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    if (mine !== latest) return false;
    store.listLoading.value = true;
    try {
      const page = await fetchPage(store);
      if (mine !== latest) return false;
      batch(() => {
        store.conversations.value = page.conversations;
        store.listCursor.value = page.next_cursor;
        store.listError.value = null;
        store.listLoading.value = false;
      });
      return true;
    } catch (e) {
      if (mine !== latest) return false;
      const refused = e instanceof ApiError && e.status >= 400 && e.status < 500;
      if (refused || tries === RETRIES_MS.length) {
        batch(() => {
          store.listError.value = `${options.failure}: ${errorWords(e)}`;
          store.listLoading.value = false;
        });
        return false;
      }
    }
  }
}

/** Appends the next page of the list, unless the list was replaced while it was on its way. */
export async function loadMoreConversations(store: Store): Promise<void> {
  const cursor = store.listCursor.value;
  if (!cursor || store.listLoading.value) return;
  const mine = latest;
  store.listLoading.value = true;
  try {
    const page = await fetchPage(store, cursor);
    if (mine !== latest) return;
    const known = new Set(store.conversations.value.map((c) => c.id));
    batch(() => {
      store.conversations.value = [
        ...store.conversations.value,
        ...page.conversations.filter((c) => !known.has(c.id)),
      ];
      store.listCursor.value = page.next_cursor;
    });
  } catch {
    // The sentinel stays in view; the next scroll tries again.
  } finally {
    if (mine === latest) store.listLoading.value = false;
  }
}
