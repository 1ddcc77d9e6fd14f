// Applies SendGrid's delivery and engagement events to our emails: statuses only move forward,
// every event is applied once, and bounces and spam reports stop future sends to the address.
import type { Sql, Tx } from "@/lib/db/connect.ts";
import { applyStatus, statusChanges, type StatusUpdate } from "@/lib/db/thread.ts";
import type { SendgridEvent, SendgridEventKind } from "@/lib/providers/sendgrid_webhooks.ts";
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

/** One email row has one status: that of its To recipient (an event names it, or no one). */
function aboutPrimary(e: SendgridEvent, email: Target): boolean {
  return !e.email || e.email === email.to_email.toLowerCase();
}

// What the kinds outside runs (IN_RUNS, below) do to their email. A Cc that bounces is suppressed
// (above) but does not mark the whole email undelivered.
async function applyToEmail(tx: Tx, e: SendgridEvent, email: Target): Promise<void> {
  if (!aboutPrimary(e, email)) return;
  switch (e.kind) {
    case "bounce":
      await applyStatus(tx, "emails", email.id, {
        status: "undelivered",
        errorCode: e.status ?? e.bounceType ?? "bounce",
        errorMessage: e.reason ?? "The receiving server refused the email",
      });
      break;
    case "dropped":
      await applyStatus(tx, "emails", email.id, {
        status: "failed",
        errorCode: "dropped",
        errorMessage: e.reason ?? "SendGrid dropped the email",
      });
      break;
    case "deferred":
      // Only the reason: SendGrid keeps trying, so the status stays where it is.
      await tx`
        update emails set error_code = 'deferred',
          error_message = ${e.response ?? e.reason ?? "Delivery deferred"}, updated_at = now()
        where id = ${email.id} and hatch_status_rank(status) < hatch_status_rank('delivered')`;
      break;
    default:
      break;
  }
}

async function applyOne(sql: Sql, e: SendgridEvent): Promise<Outcome> {
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

/**
 * Kinds applied many at a time: each only moves its email's status forward or adds to a count,
 * so a run of them in one transaction ends where applying them one by one would. They are most
 * of what SendGrid posts (each email's `processed`, `delivered`, opens and clicks).
 */
const IN_RUNS: ReadonlySet<SendgridEventKind> = new Set([
  "processed",
  "delivered",
  "open",
  "click",
  "other",
]);

type Outcome = "applied" | "duplicate" | "unmatched";

/**
 * Applies a batch of SendGrid events in order, each at most once (by sg_event_id): runs of the
 * common kinds together in a few statements (`applyRun`), the rest (bounces, drops, deferrals,
 * spam reports) one by one, in between, so every email sees its events in the order sent.
 */
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
  const count = (outcomes: Outcome[]) => {
    for (const outcome of outcomes) {
      if (outcome === "applied") summary.applied++;
      else if (outcome === "duplicate") summary.duplicates++;
      else summary.unmatched++;
    }
  };
  let run: SendgridEvent[] = [];
  for (const e of events) {
    if (IN_RUNS.has(e.kind)) {
      run.push(e);
      continue;
    }
    if (run.length) count(await applyRun(sql, run));
    run = [];
    count([await applyOne(sql, e)]);
  }
  if (run.length) count(await applyRun(sql, run));
  return summary;
}

/**
 * Applies a run of `IN_RUNS` events in one transaction of five statements, whatever its length:
 * the receipts, the emails found and locked (in id order, as the receipts are taken in theirs,
 * so concurrent posts never wait on each other in a cycle), the status changes (an email named
 * twice ends as if one by one), the deferral notes that a delivery ends, the opens and clicks.
 */
async function applyRun(sql: Sql, run: SendgridEvent[]): Promise<Outcome[]> {
  return await sql.begin(async (tx) => {
    const ids = [...new Set(run.map((e) => e.eventId))].sort();
    const fresh = new Set(
      (await tx<{ event_id: string }[]>`
        insert into webhook_receipts (provider, event_id)
        select 'sendgrid', id from unnest(${ids}::text[]) as id order by id
        on conflict do nothing returning event_id`).map((r) => r.event_id),
    );
    // New ones are "unmatched" until their email is found; an id repeated inside the run is new
    // only the first time.
    const outcomes: Outcome[] = run.map((e) => fresh.delete(e.eventId) ? "unmatched" : "duplicate");
    const keys = run.flatMap((e, n) =>
      outcomes[n] === "unmatched" ? [{ n, email_id: e.emailId, sg_id: e.providerMessageId }] : []
    );
    if (!keys.length) return outcomes;
    // Each event's email by its email_id, else by SendGrid's message id (as findEmail): a lookup
    // per event on either index, whatever the planner's statistics say of a table just filled.
    const found = await tx<{ n: number; id: string; to_email: string }[]>`
      select k.n, e.id, e.to_email
      from jsonb_to_recordset(${tx.json(keys)}::jsonb) as k(n int, email_id uuid, sg_id text)
      cross join lateral (
        (select id, to_email from emails where id = k.email_id and direction = 'outbound')
        union all
        (select id, to_email from emails
         where provider = 'sendgrid' and provider_message_id = k.sg_id and direction = 'outbound')
        limit 1
      ) e
      order by k.n`;
    if (!found.length) return outcomes;
    await tx`
      select id from emails where id = any(${found.map((f) => f.id)}::uuid[])
      order by id for update`;
    const changes: { id: string; update: StatusUpdate }[] = [];
    const counts = new Map<string, { id: string; opens: number; clicks: number }>();
    for (const { n, id, to_email } of found) {
      outcomes[n] = "applied";
      const e = run[n];
      const primary = aboutPrimary(e, { id, to_email });
      if (primary && e.kind === "processed") changes.push({ id, update: { status: "sent" } });
      if (primary && e.kind === "delivered") changes.push({ id, update: { status: "delivered" } });
      if (e.kind === "open" || e.kind === "click") {
        const c = counts.get(id) ?? { id, opens: 0, clicks: 0 };
        if (e.kind === "open") c.opens++;
        else c.clicks++;
        counts.set(id, c);
      }
    }
    const moved = changes.length
      ? await tx<{ id: string; status: string }[]>`
        with ${statusChanges(tx, "emails", changes, "changed")} select id, status from changed`
      : [];
    const delivered = moved.filter((m) => m.status === "delivered").map((m) => m.id);
    if (delivered.length) {
      // A deferral that ended in delivery is no longer worth showing as an error.
      await tx`
        update emails set error_code = null, error_message = null
        where id = any(${delivered}::uuid[]) and error_code = 'deferred'`;
    }
    if (counts.size) {
      await tx`
        update emails e set open_count = e.open_count + c.opens,
          click_count = e.click_count + c.clicks
        from jsonb_to_recordset(${tx.json([...counts.values()])}::jsonb)
          as c(id uuid, opens int, clicks int)
        where e.id = c.id`;
    }
    return outcomes;
  });
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
