import type { Sql, Tx } from "@/lib/db/connect.ts";
import { applyStatus } from "@/lib/db/thread.ts";
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
  return await sql.begin(async (tx) => {
    const [m] = await tx`
      select id, from_contact, to_contact from messages
      where provider = ${report.provider} and provider_message_id = ${report.providerMessageId}`;
    if (!m) return false;
    if (report.optedOut) {
      await optOutAfterProviderRefusal(tx, {
        sender: m.from_contact,
        recipient: m.to_contact,
        code: report.errorCode,
      });
    }
    if (!report.status) return false;
    return await applyStatus(tx, "messages", m.id, {
      status: report.status,
      errorCode: report.errorCode,
      errorMessage: report.errorMessage,
    });
  });
}

/** Records that the provider refused `recipient` as unsubscribed from `sender`, with its code. */
export async function optOutAfterProviderRefusal(
  sql: Tx,
  refusal: { sender: string; recipient: string; code: string | null },
): Promise<void> {
  const keyword = `provider: unsubscribed${refusal.code ? ` (${refusal.code})` : ""}`;
  await sql`
    insert into sms_opt_outs (sender, recipient, keyword)
    values (${refusal.sender}, ${refusal.recipient}, ${keyword})
    on conflict (sender, recipient) do nothing`;
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
