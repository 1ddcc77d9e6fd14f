// Applies SendGrid's delivery and engagement events to our emails: statuses only move forward,
// every event is applied once, and bounces and spam reports stop future sends to the address.
import type { Sql, Tx } from "@/lib/db/connect.ts";
import { applyStatus } from "@/lib/db/thread.ts";
import type { SendgridEvent } from "@/lib/providers/sendgrid_webhooks.ts";
import { suppressAddress, type SuppressionReason } from "./suppressions.ts";

/** What a batch of events did. */
export interface EventsSummary {
  received: number;
  applied: number;
  duplicates: number;
  /** Events about no email of ours (sent elsewhere, or already deleted): recorded, no effect. */
  unmatched: number;
}

interface Target {
  id: string;
  to_email: string;
}

async function findEmail(tx: Tx, e: SendgridEvent): Promise<Target | undefined> {
  if (e.emailId) {
    const [row] = await tx`
      select id, to_email from emails where id = ${e.emailId} and direction = 'outbound'`;
    if (row) return row as unknown as Target;
  }
  if (e.providerMessageId) {
    const [row] = await tx`
      select id, to_email from emails
      where provider = 'sendgrid' and provider_message_id = ${e.providerMessageId}
        and direction = 'outbound'`;
    if (row) return row as unknown as Target;
  }
  return undefined;
}

// SendGrid drops mail to addresses on its own suppression lists; ours should learn them too.
function suppressionOf(e: SendgridEvent): SuppressionReason | undefined {
  if (e.kind === "bounce") return e.bounceType === "blocked" ? undefined : "bounce";
  if (e.kind === "spamreport") return "spamreport";
  if (e.kind === "dropped" && e.reason) {
    if (/bounced address/i.test(e.reason)) return "bounce";
    if (/spam reporting address/i.test(e.reason)) return "spamreport";
  }
  return undefined;
}

async function applyToEmail(tx: Tx, e: SendgridEvent, email: Target): Promise<void> {
  // One email row has one status: that of its To recipient. A Cc that bounces is suppressed
  // (above) but does not mark the whole email undelivered.
  const primary = !e.email || e.email === email.to_email.toLowerCase();
  switch (e.kind) {
    case "processed":
      if (primary) await applyStatus(tx, "emails", email.id, { status: "sent" });
      break;
    case "delivered":
      if (primary && await applyStatus(tx, "emails", email.id, { status: "delivered" })) {
        // A deferral that ended in delivery is no longer worth showing as an error.
        await tx`
          update emails set error_code = null, error_message = null
          where id = ${email.id} and error_code = 'deferred'`;
      }
      break;
    case "bounce":
      if (primary) {
        await applyStatus(tx, "emails", email.id, {
          status: "undelivered",
          errorCode: e.status ?? e.bounceType ?? "bounce",
          errorMessage: e.reason ?? "The receiving server refused the email",
        });
      }
      break;
    case "dropped":
      if (primary) {
        await applyStatus(tx, "emails", email.id, {
          status: "failed",
          errorCode: "dropped",
          errorMessage: e.reason ?? "SendGrid dropped the email",
        });
      }
      break;
    case "deferred":
      // Only the reason: SendGrid keeps trying, so the status stays where it is.
      if (primary) {
        await tx`
          update emails set error_code = 'deferred',
            error_message = ${e.response ?? e.reason ?? "Delivery deferred"}, updated_at = now()
          where id = ${email.id} and hatch_status_rank(status) < hatch_status_rank('delivered')`;
      }
      break;
    case "open":
      await tx`update emails set open_count = open_count + 1 where id = ${email.id}`;
      break;
    case "click":
      await tx`update emails set click_count = click_count + 1 where id = ${email.id}`;
      break;
    default:
      break;
  }
}

async function applyOne(
  sql: Sql,
  e: SendgridEvent,
): Promise<"applied" | "duplicate" | "unmatched"> {
  // One transaction per event: each touches one email row, so concurrent batches never wait on
  // each other in a cycle, and the receipt commits only with the change it stands for.
  return await sql.begin(async (tx) => {
    const [fresh] = await tx`
      insert into webhook_receipts (provider, event_id) values ('sendgrid', ${e.eventId})
      on conflict do nothing returning event_id`;
    if (!fresh) return "duplicate" as const;
    const reason = suppressionOf(e);
    if (reason && e.email) {
      await suppressAddress(tx, { email: e.email, reason, detail: e.reason, at: e.at });
    }
    const email = await findEmail(tx, e);
    if (!email) return "unmatched" as const;
    await applyToEmail(tx, e, email);
    return "applied" as const;
  });
}

/** Applies a batch of SendGrid events in order, each at most once (by sg_event_id). */
export async function applySendgridEvents(
  sql: Sql,
  events: SendgridEvent[],
): Promise<EventsSummary> {
  const summary: EventsSummary = {
    received: events.length,
    applied: 0,
    duplicates: 0,
    unmatched: 0,
  };
  for (const e of events) {
    const outcome = await applyOne(sql, e);
    if (outcome === "applied") summary.applied++;
    else if (outcome === "duplicate") summary.duplicates++;
    else summary.unmatched++;
  }
  return summary;
}

/**
 * Deletes webhook receipts older than `days`: past SendGrid's 24-hour retry window (and our
 * 26-hour signature window) with room, so no retry can arrive for them. Returns the count.
 */
export async function pruneWebhookReceipts(sql: Tx, days = 7): Promise<number> {
  const result = await sql`
    delete from webhook_receipts where received_at < now() - make_interval(days => ${days})`;
  return result.count;
}
