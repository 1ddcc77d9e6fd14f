import type { Fragment, Sql, Tx } from "@/lib/db/connect.ts";
import { statusChanges } from "@/lib/db/thread.ts";
import { logger } from "@/lib/log.ts";
import type { SmsProvider } from "@/lib/providers/types.ts";

const log = logger("status");

/** A provider's report on one of our messages, found by the provider's id. */
export interface ProviderReport {
  provider: string;
  providerMessageId: string;
  /** Hatch's status for what the provider says; undefined when it names none (yet). */
  status: string | undefined;
  errorCode: string | null;
  errorMessage: string | null;
  /** The provider says the recipient unsubscribed from the sender. */
  optedOut: boolean;
}

/**
 * Applies a provider's status to the message it names, forward only; a report that the recipient
 * unsubscribed also opts them out. Returns false when the message is unknown or nothing moved.
 */
export async function applyProviderReport(sql: Sql, report: ProviderReport): Promise<boolean> {
  return (await applyProviderReports(sql, [report]))[0];
}

/**
 * Applies many providers' reports in two round trips, whatever their number (status callbacks
 * arriving together, `ReportBatch`): one read finds the messages they name, one statement moves
 * their statuses forward and records the opt-outs. Answers, for each report, whether it moved its
 * message; a message reported twice in the batch ends as if its reports came one by one.
 */
export async function applyProviderReports(
  sql: Tx,
  reports: ProviderReport[],
): Promise<boolean[]> {
  const keys = reports.map((r, n) => ({ n, provider: r.provider, sid: r.providerMessageId }));
  // A message's provider id never changes once stored, so this read needs no transaction.
  const found = await sql<{ n: number; id: string; from_contact: string; to_contact: string }[]>`
    select k.n, m.id, m.from_contact, m.to_contact
    from jsonb_to_recordset(${sql.json(keys)}::jsonb) as k(n int, provider text, sid text)
    join messages m on m.provider = k.provider and m.provider_message_id = k.sid
    order by k.n`;
  const idOf = new Map(found.map((f) => [f.n, f.id]));
  const changes = found.flatMap(({ n, id }) => {
    const { status, errorCode, errorMessage } = reports[n];
    return status ? [{ id, update: { status, errorCode, errorMessage } }] : [];
  });
  const optOuts = found.filter((f) => reports[f.n].optedOut).map((f) => ({
    sender: f.from_contact,
    recipient: f.to_contact,
    keyword: refusalKeyword(reports[f.n].errorCode),
  }));
  if (!changes.length && !optOuts.length) return reports.map(() => false);
  const steps = [
    ...(changes.length ? [statusChanges(sql, "messages", changes, "changed")] : []),
    ...(optOuts.length ? [sql`opted_out as (${optOutsInsert(sql, optOuts)})`] : []),
  ];
  const moved = await sql<{ id: string; status: string }[]>`with ${
    steps.reduce((all, step) => sql`${all}, ${step}`)
  } ${
    changes.length
      ? sql`select id, status from changed`
      : sql`select null::uuid as id, null as status where false`
  }`;
  // A report moved its message when the message now has the report's status.
  const statusNow = new Map(moved.map((m) => [m.id, m.status]));
  return reports.map((r, n) => r.status !== undefined && statusNow.get(idOf.get(n)!) === r.status);
}

/** How a provider's refusal is recorded as an opt-out's keyword. */
function refusalKeyword(code: string | null): string {
  return `provider: unsubscribed${code ? ` (${code})` : ""}`;
}

/** The insert of opt-outs (sender, recipient, keyword); a pair already opted out stays as it is. */
function optOutsInsert(
  sql: Tx,
  rows: { sender: string; recipient: string; keyword: string }[],
): Fragment {
  const json = sql.json(rows);
  return sql`
    insert into sms_opt_outs (sender, recipient, keyword)
    select distinct on (sender, recipient) sender, recipient, keyword
    from jsonb_to_recordset(${json}::jsonb) as o(sender text, recipient text, keyword text)
    on conflict (sender, recipient) do nothing`;
}

/** Records that the provider refused `recipient` as unsubscribed from `sender`, with its code. */
export async function optOutAfterProviderRefusal(
  sql: Tx,
  refusal: { sender: string; recipient: string; code: string | null },
): Promise<void> {
  await sql`${optOutsInsert(sql, [{ ...refusal, keyword: refusalKeyword(refusal.code) }])}`;
}

/**
 * Asks the provider about messages stuck in `sent` for longer than `olderThanMinutes` (their
 * status callback never came: Twilio retries webhooks only briefly) and applies the answers.
 */
export async function reconcileStatuses(
  sql: Sql,
  provider: SmsProvider,
  olderThanMinutes: number,
): Promise<number> {
  if (!provider.fetchStatus) return 0;
  const stuck = await sql`
    select id, provider_message_id from messages
    where provider = ${provider.name} and status = 'sent' and provider_message_id is not null
      and updated_at < now() - make_interval(mins => ${olderThanMinutes})
      and created_at > now() - interval '3 days'
    order by updated_at limit 200`;
  let moved = 0;
  for (const m of stuck) {
    try {
      const now = await provider.fetchStatus(m.provider_message_id);
      const changed = await applyProviderReport(sql, {
        provider: provider.name,
        providerMessageId: m.provider_message_id,
        ...now,
      });
      if (changed) moved++;
    } catch (e) {
      log.warn("Could not reconcile message {id}: {error}", { id: m.id, error: String(e) });
    }
  }
  if (stuck.length) log.info("Reconciled {moved} of {n} messages", { moved, n: stuck.length });
  return moved;
}
