// The scale benchmark's data: messages spread over conversations with a skew, loaded in bulk
// with the event-log triggers off, then the conversations brought up to date.
import type { Sql } from "@/lib/db/connect.ts";

const OUR_NUMBER = "+15005550006";
// One message every 30 s, ending now at the largest size: timestamps stay distinct and
// ordered by insertion, as they are when messages arrive one by one.
export const STEP_SECONDS = 30;

async function setTriggers(sql: Sql, enabled: boolean): Promise<void> {
  const verb = enabled ? "enable" : "disable";
  // Only the event-log triggers: the foreign keys keep checking every row.
  for (const table of ["conversations", "messages"]) {
    for (const t of ["insert", "update", "delete"]) {
      await sql.unsafe(`alter table ${table} ${verb} trigger ${table}_event_${t}`);
    }
  }
}

/** Adds messages number `from`..`to` (1-based) and brings conversations up to date. */
export async function fill(
  sql: Sql,
  options: { from: number; to: number; base: Date; conversations: number },
): Promise<void> {
  const { conversations } = options;
  const started = performance.now();
  await setTriggers(sql, false);
  try {
    await sql`
      insert into conversations (id, channel, participants, last_message_at, created_at)
      select md5('hatch-bench-' || k)::uuid, 'sms',
             array[${OUR_NUMBER}, '+1' || (4155550000 + k)::text], ${options.base}, ${options.base}
      from generate_series(0, ${conversations - 1}) k
      on conflict (id) do nothing`;
    const batch = 100_000;
    for (let lo = options.from; lo <= options.to; lo += batch) {
      const hi = Math.min(options.to, lo + batch - 1);
      // Knuth's multiplicative hash gives a well-spread, repeatable u in [0,1); squaring it
      // skews messages toward the low conversation numbers (busy threads, long tail).
      await sql`
        insert into messages (conversation_id, channel, direction, from_contact, to_contact, body,
          status, provider, provider_message_id, created_at, updated_at)
        select md5('hatch-bench-' || k)::uuid, 'sms',
               case when inbound then 'inbound' else 'outbound' end,
               case when inbound then customer else ${OUR_NUMBER} end,
               case when inbound then ${OUR_NUMBER} else customer end,
               'Bench message ' || i || ': see you at the usual place around ' ||
                 (i % 12 + 1) || ' o''clock, bring the paperwork please',
               case when inbound then 'received' else 'delivered' end,
               'sandbox', 'SMbench' || i, at, at
        from generate_series(${lo}::bigint, ${hi}::bigint) i
        cross join lateral (select
          floor(${conversations} * power(((i * 2654435761) % 4294967296) / 4294967296.0, 2))::int
            as k,
          i % 3 = 0 as inbound,
          ${options.base}::timestamptz + make_interval(secs => i * ${STEP_SECONDS}) as at) s
        cross join lateral (select '+1' || (4155550000 + k)::text as customer) c`;
      const done = hi - options.from + 1;
      const total = options.to - options.from + 1;
      const rate = done / ((performance.now() - started) / 1000);
      console.log(
        `  inserted ${done.toLocaleString("en")} / ${total.toLocaleString("en")} ` +
          `messages (${Math.round(rate).toLocaleString("en")}/s)`,
      );
    }
    // The same fields touchConversation keeps current, computed once for the whole load.
    await sql`
      with latest as (
        select distinct on (conversation_id) conversation_id, created_at, body, direction
        from messages order by conversation_id, created_at desc, id desc
      ), counts as (
        select conversation_id, count(*)::int as n,
               count(*) filter (where direction = 'inbound')::int as inbound
        from messages group by conversation_id
      )
      update conversations c set
        last_message_at = l.created_at,
        last_message_preview = left(l.body, 160),
        last_direction = l.direction,
        message_count = n.n,
        unread_count = case when l.direction = 'inbound' then 1 else 0 end,
        created_at = least(c.created_at, l.created_at)
      from latest l join counts n using (conversation_id)
      where c.id = l.conversation_id`;
    await sql`
      delete from conversations c
      where not exists (select 1 from messages m where m.conversation_id = c.id)`;
  } finally {
    await setTriggers(sql, true);
  }
  // Fresh statistics and a current visibility map, as autovacuum would leave them; then a
  // checkpoint, so the load's dirty pages are not still being written while we time reads.
  await sql`vacuum (analyze) conversations, messages`;
  await sql`checkpoint`.catch(() => console.log("  (no CHECKPOINT: needs a superuser)"));
  const seconds = (performance.now() - started) / 1000;
  console.log(`  filled in ${seconds.toFixed(1)} s`);
}
