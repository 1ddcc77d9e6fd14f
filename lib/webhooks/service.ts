// Outgoing webhook endpoints: subscribed, rotated with a grace period, disabled and enabled.
import type { Tx } from "@/lib/db/connect.ts";
import { NotFoundError } from "@/lib/errors.ts";
import { type Actor, audit } from "@/lib/auth/audit.ts";
import { addJob } from "@/lib/delivery/jobs.ts";
import type { WebhookDelivery, WebhookEndpoint, WebhookInput } from "./schemas.ts";

/** How long the old secret still signs after a rotation. */
export const ROTATION_GRACE_HOURS = 24;

/** A new secret in the Standard Webhooks form: `whsec_` and 24 random bytes in base64. */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

const iso = (d: unknown) => d ? new Date(d as string).toISOString() : null;

// deno-lint-ignore no-explicit-any -- a webhook_endpoints row
function toEndpoint(r: Record<string, any>): WebhookEndpoint {
  return {
    id: r.id,
    url: r.url,
    events: r.events,
    disabled_at: iso(r.disabled_at),
    disabled_reason: r.disabled_reason,
    failing_since: iso(r.failing_since),
    previous_secret_until: iso(r.previous_secret_until),
    created_at: iso(r.created_at)!,
  };
}

// deno-lint-ignore no-explicit-any -- a webhook_deliveries row
export function toDelivery(r: Record<string, any>): WebhookDelivery {
  return {
    id: r.id,
    event_type: r.event_type,
    state: r.state,
    attempts: r.attempts,
    response_status: r.response_status,
    response_body: r.response_body,
    error: r.error,
    last_attempt_at: iso(r.last_attempt_at),
    created_at: iso(r.created_at)!,
  };
}

/** Subscribes a URL; answers the endpoint and its secret (shown this once). */
export async function createEndpoint(
  sql: Tx,
  input: WebhookInput,
  actor: Actor,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const secret = newSecret();
  return await sql.begin(async (tx) => {
    const [row] = await tx`
      insert into webhook_endpoints (url, events, secret)
      values (${input.url}, ${input.events}, ${secret}) returning *`;
    await audit(tx, actor, "webhook.created", {
      target: input.url,
      detail: { events: input.events },
    });
    return { endpoint: toEndpoint(row), secret };
  });
}

/** Every endpoint, newest first. */
export async function listEndpoints(sql: Tx): Promise<WebhookEndpoint[]> {
  const rows = await sql`select * from webhook_endpoints order by created_at desc, id`;
  return rows.map(toEndpoint);
}

/** Changes an endpoint's URL or events, or disables or enables it. */
export async function updateEndpoint(
  sql: Tx,
  id: string,
  patch: { url?: string; events?: string[]; enabled?: boolean },
  actor: Actor,
): Promise<WebhookEndpoint> {
  return await sql.begin(async (tx) => {
    const [row] = await tx`
      update webhook_endpoints set
        url = coalesce(${patch.url ?? null}, url),
        events = coalesce(${patch.events ?? null}::text[], events),
        disabled_at = case when ${patch.enabled ?? null}::boolean is null then disabled_at
          when ${patch.enabled ?? null}::boolean then null else coalesce(disabled_at, now()) end,
        disabled_reason = case when ${patch.enabled ?? null}::boolean is null then disabled_reason
          when ${patch.enabled ?? null}::boolean then null else 'Disabled by hand' end,
        failing_since = case when ${
      patch.enabled ?? null
    }::boolean then null else failing_since end,
        updated_at = now()
      where id = ${id} returning *`;
    if (!row) throw new NotFoundError(`Webhook endpoint "${id}" not found`);
    await audit(tx, actor, "webhook.updated", { target: row.url, detail: patch });
    return toEndpoint(row);
  });
}

/** Removes an endpoint and its delivery log. */
export async function deleteEndpoint(sql: Tx, id: string, actor: Actor): Promise<void> {
  await sql.begin(async (tx) => {
    const [row] = await tx`delete from webhook_endpoints where id = ${id} returning url`;
    if (!row) throw new NotFoundError(`Webhook endpoint "${id}" not found`);
    await audit(tx, actor, "webhook.deleted", { target: row.url as string });
  });
}

/** A new secret; the old one keeps signing too for ROTATION_GRACE_HOURS. */
export async function rotateSecret(
  sql: Tx,
  id: string,
  actor: Actor,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const secret = newSecret();
  return await sql.begin(async (tx) => {
    const [row] = await tx`
      update webhook_endpoints set previous_secret = secret, secret = ${secret},
        previous_secret_until = now() + ${`${ROTATION_GRACE_HOURS} hours`}::interval,
        updated_at = now()
      where id = ${id} returning *`;
    if (!row) throw new NotFoundError(`Webhook endpoint "${id}" not found`);
    await audit(tx, actor, "webhook.secret_rotated", { target: row.url });
    return { endpoint: toEndpoint(row), secret };
  });
}

/** An endpoint's newest deliveries with what it answered. */
export async function listDeliveries(sql: Tx, id: string, limit = 50): Promise<WebhookDelivery[]> {
  const [e] = await sql`select 1 from webhook_endpoints where id = ${id}`;
  if (!e) throw new NotFoundError(`Webhook endpoint "${id}" not found`);
  const rows = await sql`
    select * from webhook_deliveries where endpoint_id = ${id}
    order by created_at desc, id limit ${limit}`;
  return rows.map(toDelivery);
}

/** Sends a delivery's payload again, as a new delivery (same event, new webhook-id). */
export async function resendDelivery(sql: Tx, id: string, actor: Actor): Promise<WebhookDelivery> {
  return await sql.begin(async (tx) => {
    const [row] = await tx`
      insert into webhook_deliveries (endpoint_id, event_type, payload, state)
      select endpoint_id, event_type, payload, 'pending' from webhook_deliveries where id = ${id}
      returning *`;
    if (!row) throw new NotFoundError(`Webhook delivery "${id}" not found`);
    await addJob(tx, "deliver_webhook", { delivery_id: row.id }, webhookJob(row.endpoint_id));
    await audit(tx, actor, "webhook.resent", { detail: { delivery_id: id } });
    return toDelivery(row);
  });
}

/** How many times a delivery is tried (graphile-worker's backoff spreads them over hours). */
export const WEBHOOK_ATTEMPTS = 12;

/**
 * How a delivery's job runs: one endpoint's deliveries one at a time (a slow endpoint holds one
 * worker, not all of them) and after any text or email waiting (a lower priority).
 */
export function webhookJob(endpointId: string) {
  return { maxAttempts: WEBHOOK_ATTEMPTS, queue: `webhook:${endpointId}`, priority: 20 };
}
