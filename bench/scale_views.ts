// The team inbox's views in the scale benchmark: conversations spread over states (70% open,
// 10% snoozed, 20% closed), half of them assigned among five teammates, 10% and 5% under two
// labels; then each view's first page and the sidebar's counts, through the services.
import type { Sql } from "@/lib/db/connect.ts";
import { listConversations } from "@/lib/conversations/service.ts";
import { viewCounts } from "@/lib/conversations/views.ts";

/** The view queries measured, after the list and thread ones. */
export const VIEW_QUERIES = [
  "view Mine, first page",
  "view Unassigned, first page",
  "view Closed, first page",
  "view of a label, first page",
  "views' counts",
] as const;
type ViewQuery = (typeof VIEW_QUERIES)[number];

/** Whose Mine, and which label, the view queries ask for. */
export interface ViewContext {
  userId: string;
  labelId: string;
}

const PAGE = 50;
// Off during the load: system lines, counts (recomputed once below) and events per row.
const TRIGGERS = [
  "conversations_system_line",
  "conversations_count_update",
  "conversations_event_insert",
  "conversations_event_update",
  "conversations_event_delete",
];

/** Gives every conversation a state, maybe an assignee and labels; returns whom to ask as. */
export async function fillViews(sql: Sql): Promise<ViewContext> {
  const started = performance.now();
  const users = await sql<{ id: string }[]>`
    insert into users (email, name, role, password_hash)
    select 'bench' || n || '@bench.example', 'Bench ' || n, 'agent', 'x'
    from generate_series(1, 5) n
    returning id`;
  const labels = await sql<{ id: string }[]>`
    insert into labels (name) values ('Bench VIP'), ('Bench refund') returning id`;
  for (const t of TRIGGERS) await sql.unsafe(`alter table conversations disable trigger ${t}`);
  try {
    await sql`
      update conversations c set
        state = case when h.s < 700 then 'open' when h.s < 800 then 'snoozed' else 'closed' end,
        snoozed_until = case when h.s >= 700 and h.s < 800 then now() + interval '1 day' end,
        assignee_id = case when h.a < 500 then (${users.map((u) => u.id)}::uuid[])[h.a % 5 + 1] end,
        label_ids = case when h.l < 100 then array[${labels[0].id}::uuid]
                         when h.l < 150 then array[${labels[1].id}::uuid] else '{}' end
      from (
        select id, abs(hashtext(id::text || 's')) % 1000 as s,
               abs(hashtext(id::text || 'a')) % 1000 as a,
               abs(hashtext(id::text || 'l')) % 1000 as l
        from conversations) h
      where h.id = c.id`;
  } finally {
    for (const t of TRIGGERS) await sql.unsafe(`alter table conversations enable trigger ${t}`);
  }
  // One row per view, as the worker's fold leaves them.
  await sql`truncate view_count_deltas`;
  await sql`
    insert into view_count_deltas (key, delta)
    select key, count(*) from conversations c,
      unnest(hatch_view_keys(c.state, c.assignee_id, c.label_ids)) key
    group by key`;
  await sql`vacuum (analyze) conversations, view_count_deltas`;
  console.log(`  views filled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { userId: users[0].id, labelId: labels[0].id };
}

/** The timed call of a view query. */
export function viewRunner(
  sql: Sql,
  query: string,
  v: ViewContext,
): ((i: number) => Promise<number>) | undefined {
  const list = async (options: Parameters<typeof listConversations>[1]) =>
    (await listConversations(sql, options)).conversations.length;
  switch (query as ViewQuery) {
    case "view Mine, first page":
      return () => list({ limit: PAGE, view: "mine", userId: v.userId });
    case "view Unassigned, first page":
      return () => list({ limit: PAGE, view: "unassigned", userId: v.userId });
    case "view Closed, first page":
      return () => list({ limit: PAGE, view: "closed", userId: v.userId });
    case "view of a label, first page":
      return () => list({ limit: PAGE, view: "open", label: v.labelId, userId: v.userId });
    case "views' counts":
      return async () => {
        const c = await viewCounts(sql, v.userId);
        return 5 + Object.keys(c.labels).length;
      };
    default:
      return undefined;
  }
}
