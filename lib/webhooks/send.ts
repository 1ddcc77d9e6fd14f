// Delivering one webhook: signed as the Standard Webhooks specification says (HMAC-SHA256 over
// id.timestamp.body, with the `standardwebhooks` library), retried with graphile-worker's backoff,
// every answer kept in the delivery log; an endpoint failing for days is disabled.
import { Webhook } from "standardwebhooks";
import type { JobHelpers } from "graphile-worker";
import type { Sql } from "@/lib/db/connect.ts";
import { audit } from "@/lib/auth/audit.ts";
import { logger } from "@/lib/log.ts";

const log = logger("webhooks");
const TIMEOUT_MS = 10_000;

/** The signature header for `body`: the current secret's, and the previous one's in its grace. */
export function signatures(
  secrets: string[],
  delivery: { id: string; at: Date; body: string },
): string {
  return secrets.map((s) => new Webhook(s).sign(delivery.id, delivery.at, delivery.body)).join(" ");
}

/** Sends a delivery once; throws (to be retried) when the endpoint did not answer 2xx. */
export async function deliverWebhook(
  sql: Sql,
  options: { id: string; disableAfterDays: number; helpers: JobHelpers },
): Promise<void> {
  const [d] = await sql`
    select d.*, e.url, e.secret, e.previous_secret, e.disabled_at,
      e.previous_secret_until > now() as in_grace
    from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
    where d.id = ${options.id}`;
  if (!d || d.state !== "pending") return;
  if (d.disabled_at) {
    await sql`
      update webhook_deliveries set state = 'failed', error = 'The endpoint is disabled'
      where id = ${d.id}`;
    return;
  }
  const body = JSON.stringify(d.payload);
  const at = new Date();
  const secrets = d.in_grace && d.previous_secret ? [d.secret, d.previous_secret] : [d.secret];
  let status: number | null = null;
  let text: string | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(d.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Hatch-Webhooks",
        "webhook-id": d.id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signatures(secrets, { id: d.id, at, body }),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = res.status;
    text = (await res.text()).slice(0, 2000);
  } catch (e) {
    error = (e as Error).message;
  }
  const ok = status !== null && status >= 200 && status < 300;
  const last = options.helpers.job.attempts >= options.helpers.job.max_attempts;
  await sql`
    update webhook_deliveries set attempts = attempts + 1, response_status = ${status},
      response_body = ${text}, error = ${error}, last_attempt_at = now(),
      state = ${ok ? "succeeded" : last ? "failed" : "pending"}
    where id = ${d.id}`;
  if (ok) {
    await sql`update webhook_endpoints set failing_since = null where id = ${d.endpoint_id}`;
    return;
  }
  const [e] = await sql`
    update webhook_endpoints set failing_since = coalesce(failing_since, now())
    where id = ${d.endpoint_id}
    returning failing_since < now() - ${`${options.disableAfterDays} days`}::interval as too_long`;
  if (e?.too_long) {
    await sql.begin(async (tx) => {
      const [off] = await tx`
        update webhook_endpoints set disabled_at = now(),
          disabled_reason = ${`Failing for more than ${options.disableAfterDays} days`}
        where id = ${d.endpoint_id} and disabled_at is null returning url`;
      if (off) {
        await audit(tx, { label: "Hatch" }, "webhook.disabled", {
          target: off.url as string,
          detail: { reason: `failing for more than ${options.disableAfterDays} days` },
        });
        log.warn("Webhook endpoint {url} disabled: failing for days", { url: off.url });
      }
    });
    return;
  }
  if (!last) throw new Error(`Webhook endpoint answered ${status ?? error}`);
}
