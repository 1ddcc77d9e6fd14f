// The sidebar's counts, kept by the conversations' trigger as +1/-1 rows per view key
// (hatch_view_keys in sql/009_team_inbox.sql): a count is a sum over its key's few rows, never a
// scan of the conversations, and the worker folds each key's rows into one every minute.
import type { Tx } from "@/lib/db/connect.ts";
import type { ViewCounts } from "./team_schemas.ts";

/** How many conversations each view holds, for `userId` (whose "mine" it is). */
export async function viewCounts(sql: Tx, userId?: string): Promise<ViewCounts> {
  const rows = await sql<{ key: string; n: string }[]>`
    select key, sum(delta)::text as n from view_count_deltas
    where key in ('open', 'snoozed', 'closed', 'unassigned', ${`mine:${userId ?? ""}`})
       or key like 'label:%'
    group by key`;
  const counts: ViewCounts = { mine: 0, unassigned: 0, open: 0, snoozed: 0, closed: 0, labels: {} };
  for (const { key, n } of rows) {
    const value = Number(n);
    if (key.startsWith("label:")) {
      if (value) counts.labels[key.slice(6)] = value;
    } else if (key.startsWith("mine:")) counts.mine = value;
    else counts[key as "open" | "snoozed" | "closed" | "unassigned"] = value;
  }
  return counts;
}

/**
 * Folds every key's rows into one. Rows appended meanwhile are not in the delete's snapshot and
 * stay; readers see the rows before or after, whose sums are the same.
 */
export async function compactViewCounts(sql: Tx): Promise<void> {
  await sql`
    with gone as (delete from view_count_deltas returning key, delta)
    insert into view_count_deltas (key, delta)
    select key, sum(delta) from gone group by key having sum(delta) <> 0`;
}
