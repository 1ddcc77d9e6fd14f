import type { JobHelpers, TaskList } from "graphile-worker";
import type { Sql } from "@/lib/db/connect.ts";
import { wakeSnoozed } from "@/lib/conversations/team.ts";
import { compactViewCounts } from "@/lib/conversations/views.ts";
import type { Settings } from "@/lib/config.ts";
import { applyStatus, applyStatuses, type ThreadTable } from "@/lib/db/thread.ts";
import { logger } from "@/lib/log.ts";
import {
  type EmailProvider,
  ProviderError,
  type SendResult,
  type SmsProvider,
} from "@/lib/providers/types.ts";
import { emailProviderFor, smsProviderFor } from "@/lib/providers/select.ts";
import { renderEmailHtml } from "@/lib/providers/email_template.ts";
import type { JobPayloads } from "./jobs.ts";
import { StatusBatch } from "./status_batch.ts";
import { ClaimBatch } from "./claim_batch.ts";
import { type GateDeps, passGate, takeSlot } from "./gate.ts";
import { slotDone } from "./pacing.ts";
import { ConversationOrder } from "./conversation_order.ts";
import { dispatchBroadcast } from "@/lib/broadcasts/dispatch.ts";
import { answerKeyword } from "@/lib/messages/keyword_replies.ts";
import { deliverWebhook } from "@/lib/webhooks/send.ts";
import { runImport } from "@/lib/contact_import/service.ts";
import { pruneExpired } from "@/lib/maintenance.ts";
import { countDelivery } from "@/lib/metrics/registry.ts";
import { optOutAfterProviderRefusal, reconcileStatuses } from "@/lib/messages/status.ts";

const log = logger("delivery");

// Outcomes stored in one statement at most; more wait for the next.
const STATUS_BATCH_MAX = 500;

/** What the delivery tasks need: the database, the settings and the providers to call. */
export interface DeliveryDeps {
  sql: Sql;
  settings: Settings;
  sms: SmsProvider;
  email: EmailProvider;
  /** The clock quiet hours read; the real one unless a test injects another. */
  now?: () => Date;
  /** Removes graphile-worker's job queues that no job uses any more (the daily prune). */
  removeEmptyQueues?: () => Promise<void>;
}

function gateDeps(deps: DeliveryDeps): GateDeps {
  return {
    sql: deps.sql,
    settings: deps.settings,
    now: deps.now ?? (() => new Date()),
    paced: deps.sms.name === "twilio",
  };
}

/** The providers the settings choose. */
export function providersFor(settings: Settings): { sms: SmsProvider; email: EmailProvider } {
  return { sms: smsProviderFor(settings), email: emailProviderFor(settings) };
}

// The row to send is read, not marked: the attempt is counted with the outcome (graphile-worker's
// count, which includes attempts a crashed worker never finished), so a delivery costs one
// committed status change rather than two, and open tabs one event fewer. `sending` stays in the
// vocabulary for providers that report it. A text is read with its recipient's opt-out, which
// the gate checks, and with the other texts whose deliveries start at the same time
// (./claim_batch.ts); an email on its own.
// deno-lint-ignore no-explicit-any -- an emails row, read by its task
async function claimEmail(sql: Sql, id: string): Promise<Record<string, any> | undefined> {
  const [row] =
    await sql`select * from emails where id = ${id} and status in ('queued', 'sending')`;
  return row;
}

async function recordSuccess(
  batch: StatusBatch,
  target: { table: ThreadTable; id: string; attempts: number },
  result: SendResult,
): Promise<void> {
  await batch.write({
    table: target.table,
    id: target.id,
    update: {
      attempts: target.attempts,
      // Handed over is `sent` from our side, even when the provider queues it first.
      status: result.status === "delivered" ? "delivered" : "sent",
      providerMessageId: result.providerMessageId,
      response: result.response,
    },
    followUps: result.followUps,
  });
}

// Transient failures are thrown so graphile-worker retries with backoff, until the last
// attempt, which records the failure like a permanent one.
async function recordFailure(
  deps: DeliveryDeps,
  target: { table: ThreadTable; id: string; provider: string },
  error: unknown,
  helpers: JobHelpers,
): Promise<void> {
  const pe = error instanceof ProviderError
    ? error
    : new ProviderError(String((error as Error)?.message ?? error), {
      code: "internal",
      transient: true,
    });
  const lastAttempt = helpers.job.attempts >= helpers.job.max_attempts;
  log.warn("Delivery of {table} {id} failed (attempt {attempt}/{max}): {code} {error}", {
    table: target.table,
    id: target.id,
    attempt: helpers.job.attempts,
    max: helpers.job.max_attempts,
    code: pe.code,
    error: pe.message,
  });
  const retry = pe.transient && !lastAttempt;
  countDelivery(target.provider, retry ? "retry" : "failed", pe.code);
  if (retry) {
    await deps.sql`
      update ${deps.sql(target.table)} set error_code = ${pe.code}, error_message = ${pe.message},
        attempts = greatest(attempts, ${helpers.job.attempts})
      where id = ${target.id}`;
    throw pe;
  }
  if (target.table === "messages" && pe.optedOut) {
    const [m] = await deps
      .sql`select from_contact, to_contact from messages where id = ${target.id}`;
    await optOutAfterProviderRefusal(deps.sql, {
      sender: m.from_contact,
      recipient: m.to_contact,
      code: pe.code,
    });
  }
  await applyStatus(deps.sql, target.table, target.id, {
    attempts: helpers.job.attempts,
    status: "failed",
    errorCode: pe.code,
    errorMessage: pe.message,
    response: pe.options.response ?? null,
  });
}

async function deliverMessage(
  deps: DeliveryDeps,
  batches: { claims: ClaimBatch; outcomes: StatusBatch },
  id: string,
  helpers: JobHelpers,
): Promise<void> {
  const m = await batches.claims.claim(id);
  if (!m) return;
  if (!(await passGate(gateDeps(deps), m))) return;
  log.info("Sending message {id} to {to} via {provider} (attempt {attempt})", {
    id,
    to: m.to_contact,
    provider: deps.sms.name,
    attempt: helpers.job.attempts,
  });
  try {
    // Claimed first, then the wait for the sender's slot: the request leaves right at it.
    const slot = await takeSlot(gateDeps(deps), m);
    const result = await deps.sms.send({
      messageId: id,
      from: m.from_contact,
      to: m.to_contact,
      body: m.body,
      mediaUrls: (m.media as { url: string }[]).map((x) => x.url),
      statusCallback: `${deps.settings.publicUrl}/webhooks/twilio/status`,
    }).finally(() => slot !== undefined && slotDone(deps.sql, slot));
    await recordSuccess(
      batches.outcomes,
      { table: "messages", id, attempts: helpers.job.attempts },
      result,
    );
    countDelivery(deps.sms.name, "sent");
    log.info("Message {id} handed to {provider} as {providerId}", {
      id,
      provider: deps.sms.name,
      providerId: result.providerMessageId,
    });
  } catch (e) {
    await recordFailure(deps, { table: "messages", id, provider: deps.sms.name }, e, helpers);
  }
}

async function deliverEmail(
  deps: DeliveryDeps,
  batch: StatusBatch,
  id: string,
  helpers: JobHelpers,
): Promise<void> {
  // An edit moved it later while this job was already running: the keyed job carries the time.
  const [later] = await deps.sql`
    select 1 from emails where id = ${id} and send_at > now() + interval '1 second'`;
  if (later) return;
  const e = await claimEmail(deps.sql, id);
  if (!e) return;
  log.info("Sending email {id} to {to} via {provider} (attempt {attempt})", {
    id,
    to: e.to_email,
    provider: deps.email.name,
    attempt: helpers.job.attempts,
  });
  const list = (s: string | null) => s ? s.split(",").map((x) => x.trim()).filter(Boolean) : [];
  try {
    const result = await deps.email.send({
      emailId: id,
      from: e.from_email,
      to: [e.to_email],
      cc: list(e.cc),
      bcc: list(e.bcc),
      replyTo: e.reply_to ?? undefined,
      subject: e.subject,
      text: e.body,
      html: renderEmailHtml({
        subject: e.subject,
        body: e.body,
        html: e.html_content ?? undefined,
      }),
      messageIdHeader: e.message_id_header,
      // A reply threads in the customer's mail client only with both headers.
      inReplyTo: e.in_reply_to ?? undefined,
      references: e.references_header
        ? (e.references_header as string).split(/\s+/).filter(Boolean)
        : undefined,
      attachments: (e.attachments as { filename: string; content_type: string; content: string }[])
        .map((a) => ({
          filename: a.filename,
          contentType: a.content_type,
          contentBase64: a.content,
        })),
    });
    await recordSuccess(batch, { table: "emails", id, attempts: helpers.job.attempts }, result);
    countDelivery(deps.email.name, "sent");
  } catch (err) {
    await recordFailure(deps, { table: "emails", id, provider: deps.email.name }, err, helpers);
  }
}

/** The task list the worker runs. */
export function deliveryTasks(deps: DeliveryDeps): TaskList {
  const order = new ConversationOrder();
  const batch = new StatusBatch(deps.sql, {
    delayMs: deps.settings.HATCH_WORKER_BATCH_MS,
    max: STATUS_BATCH_MAX,
  });
  const textBatches = { claims: new ClaimBatch(deps.sql), outcomes: batch };
  return {
    deliver_message: (payload, helpers) => {
      const p = payload as JobPayloads["deliver_message"];
      return order.run(
        p.conversation_id,
        () => deliverMessage(deps, textBatches, p.message_id, helpers),
      );
    },
    deliver_email: (payload, helpers) => {
      const p = payload as JobPayloads["deliver_email"];
      return order.run(p.conversation_id, () => deliverEmail(deps, batch, p.email_id, helpers));
    },
    apply_status: async (payload) => {
      const p = payload as JobPayloads["apply_status"];
      const ids = p.ids ?? (p.id ? [p.id] : []);
      await applyStatuses(
        deps.sql,
        p.kind === "message" ? "messages" : "emails",
        ids.map((id) => ({ id, update: { status: p.status } })),
      );
    },
    broadcast_dispatch: async (payload) => {
      const p = payload as JobPayloads["broadcast_dispatch"];
      await dispatchBroadcast(deps.sql, deps.settings, p.broadcast_id);
    },
    deliver_webhook: async (payload, helpers) => {
      const p = payload as JobPayloads["deliver_webhook"];
      await deliverWebhook(deps.sql, {
        id: p.delivery_id,
        disableAfterDays: deps.settings.HATCH_WEBHOOK_DISABLE_DAYS,
        helpers,
      });
    },
    contact_import: async (payload) => {
      const p = payload as JobPayloads["contact_import"];
      await runImport(deps.sql, deps.settings, p.import_id);
    },
    keyword_reply: async (payload) => {
      const p = payload as JobPayloads["keyword_reply"];
      await answerKeyword(deps.sql, deps.settings, p.message_id);
    },
    wake_snoozed: async (payload) => {
      await wakeSnoozed(deps.sql, (payload as JobPayloads["wake_snoozed"])?.conversation_id);
    },
    compact_view_counts: async () => {
      await compactViewCounts(deps.sql);
    },
    reconcile_statuses: async () => {
      await reconcileStatuses(deps.sql, deps.sms, deps.settings.HATCH_RECONCILE_MINUTES);
    },
    prune: async () => {
      await deps.removeEmptyQueues?.();
      await pruneExpired(deps.sql, {
        eventRetentionDays: deps.settings.HATCH_EVENT_RETENTION_DAYS,
      });
    },
  };
}
