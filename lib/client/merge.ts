// Pure merging of what the server sends into what the page holds: the same entity can arrive
// twice, late, or out of order (a fetch racing an event), and the newest version must win.
import type { Conversation, DeliveryStatus, Email, Message } from "@/lib/shared/types.ts";
import type { LocalMessage } from "./store.ts";

const RANK: Record<DeliveryStatus, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  received: 3,
};

/** Whether `incoming` should replace `current`: a later update, or the same moment further along. */
export function isNewer(
  incoming: { updated_at: string; status: DeliveryStatus },
  current: { updated_at: string; status: DeliveryStatus },
): boolean {
  const a = Date.parse(incoming.updated_at);
  const b = Date.parse(current.updated_at);
  if (a !== b) return a > b;
  return RANK[incoming.status] >= RANK[current.status];
}

/** List order: newest activity first, then id, as the API pages them. */
export function compareConversations(a: Conversation, b: Conversation): number {
  const d = Date.parse(b.last_message_time) - Date.parse(a.last_message_time);
  if (d) return d;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Whether a conversation matches the list's filter text (name, number, address, subject, text). */
export function matchesFilter(c: Conversation, filter: string, label = ""): boolean {
  const q = filter.trim().toLowerCase();
  if (!q) return true;
  const hay = [c.contact, c.contact_name ?? "", c.subject ?? "", c.last_message, label]
    .join("\n").toLowerCase();
  if (hay.includes(q)) return true;
  const digits = q.replace(/\D/g, "");
  return digits.length >= 3 && /^[\d\s()+.-]+$/.test(q) && c.contact.replace(/\D/g, "")
    .includes(digits);
}

/**
 * Puts a conversation into the list at its place. A conversation the list does not hold yet is
 * added only when it would fall inside the pages already loaded (`complete` says the list has
 * no more pages); otherwise paging will bring it.
 */
export function upsertConversation(
  list: Conversation[],
  c: Conversation,
  options: { complete: boolean; include: boolean },
): Conversation[] {
  const rest = list.filter((x) => x.id !== c.id);
  const known = rest.length !== list.length;
  if (!known) {
    if (!options.include) return list;
    const last = list[list.length - 1];
    if (!options.complete && last && compareConversations(c, last) > 0) return list;
  }
  const at = rest.findIndex((x) => compareConversations(c, x) < 0);
  if (at < 0) return [...rest, c];
  return [...rest.slice(0, at), c, ...rest.slice(at)];
}

function compareRows(a: { timestamp: string; id: string }, b: { timestamp: string; id: string }) {
  const d = Date.parse(a.timestamp) - Date.parse(b.timestamp);
  if (d) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Merges server rows into a chronological thread. A row already held is replaced only by a
 * newer version; an outbound row that answers one of this page's own sends replaces the local
 * copy instead of appearing twice. Rows older than `floor` are left out: while older pages are
 * still to load, those pages bring them (shown now, they would sit above a gap).
 */
export function mergeRows<T extends Message | Email | LocalMessage>(
  current: T[],
  incoming: T[],
  options: { floor?: T } = {},
): T[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  const floor = options.floor;
  const below = (r: T) => floor !== undefined && compareRows(r, floor) < 0;
  let changed = current.some(below);
  for (const row of incoming) {
    if (below(row)) continue;
    const old = byId.get(row.id);
    if (old) {
      if (("local" in old && old.local) || isNewer(row, old)) {
        byId.set(row.id, row);
        changed = true;
      }
      continue;
    }
    if ("body" in row && row.direction === "outbound") {
      const twin = [...byId.values()].find((m) =>
        "local" in m && (m as LocalMessage).local?.state === "sending" &&
        (m as LocalMessage).body === (row as Message).body
      );
      if (twin) byId.delete(twin.id);
    }
    byId.set(row.id, row);
    changed = true;
  }
  if (!changed) return current;
  return [...byId.values()].filter((r) => !below(r)).sort(compareRows);
}
