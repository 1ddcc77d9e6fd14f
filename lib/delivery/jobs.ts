import type { Fragment, Tx } from "@/lib/db/connect.ts";

/** Hatch's job names and their payloads. */
export interface JobPayloads {
  /** conversation_id keeps a conversation's deliveries in order (./conversation_order.ts). */
  deliver_message: { message_id: string; conversation_id?: string };
  deliver_email: { email_id: string; conversation_id?: string };
  /** Rows that move to `status` together (a batch's follow-ups); `id`: one, as queued before. */
  apply_status: { kind: "message" | "email"; status: string; ids?: string[]; id?: string };
  broadcast_dispatch: { broadcast_id: string };
  keyword_reply: { message_id: string };
  deliver_webhook: { delivery_id: string };
  contact_import: { import_id: string };
  /** A snoozed conversation's time has come; without an id (the sweep), every one due. */
  wake_snoozed: { conversation_id?: string };
}

/** What is delivered: a text (deliver_message) or an email (deliver_email). */
export type DeliveryKind = "message" | "email";

/**
 * A delivery's job name and payload: the one place their shape is written, for every statement
 * that queues one (a send, a scheduled send's edit, the gate's retry).
 */
export function deliveryJob<K extends DeliveryKind>(
  kind: K,
  id: string,
  conversationId: string,
): { task: `deliver_${K}`; payload: JobPayloads[`deliver_${K}`] } {
  const payload = kind === "message"
    ? { message_id: id, conversation_id: conversationId }
    : { email_id: id, conversation_id: conversationId };
  return { task: `deliver_${kind}`, payload: payload as JobPayloads[`deliver_${K}`] };
}

/** A payload as a json parameter, for jobCall inside a larger statement. */
export function jsonPayload(sql: Tx, payload: JobPayloads[keyof JobPayloads]) {
  return sql`${sql.json(payload as never)}::json`;
}

/** How many times a delivery is tried before it is marked failed. */
export const DELIVERY_MAX_ATTEMPTS = 8;

/**
 * graphile-worker's priority for bulk sends (broadcasts): a lower number runs first, so a reply
 * (0) queued behind a thousand broadcast texts is fetched before them.
 */
export const BULK_PRIORITY = 10;

/** Where and how a job runs. */
export interface JobOptions {
  queue?: string;
  /** A number, or an expression (as runAt): either means graphile-worker's own add_job. */
  priority?: number | Fragment;
  /** A time, or an expression (a column of the statement the call sits in). */
  runAt?: Date | Fragment;
  maxAttempts?: number;
  /** A key, or an expression (as runAt): either means graphile-worker's own add_job. */
  jobKey?: string | Fragment;
}

/** Adds a job with graphile-worker's add_job in the caller's transaction, so both commit together. */
export async function addJob<K extends keyof JobPayloads>(
  tx: Tx,
  task: K,
  payload: JobPayloads[K],
  options: JobOptions = {},
): Promise<void> {
  await tx`select ${jobCall(tx, task, jsonPayload(tx, payload), options)}`;
}

/** The select that adds `jobs` (not empty), for a statement that does more in one round trip. */
export function jobsSelect<K extends keyof JobPayloads>(
  sql: Tx,
  task: K,
  jobs: { payload: JobPayloads[K]; runAt: Date }[],
): Fragment {
  const rows = jobs.map((j) => ({ payload: j.payload, run_at: j.runAt.toISOString() }));
  const payloads = sql`array_agg(j.payload order by j.n)`;
  const runAts = sql`array_agg(j.run_at order by j.n)`;
  return sql`
    select ${jobsCall(sql, task, payloads, runAts)} as count
    from rows from (json_to_recordset(${sql.json(rows)}::json)
      as (payload json, run_at timestamptz)) with ordinality as j(payload, run_at, n)`;
}

/**
 * Adds many jobs without keys or priorities in one insert (hatch_add_jobs, sql/020), in the order
 * of `payloads` (a json[] expression, usually an array_agg of the statement's rows) with their
 * `runAts` (timestamptz[]; null: now): a fragment that evaluates to how many it added.
 */
export function jobsCall(
  sql: Tx,
  task: keyof JobPayloads,
  payloads: Fragment,
  runAts: Fragment,
  options: { queue?: string; maxAttempts?: number } = {},
) {
  return sql`hatch_add_jobs(
    ${task}, ${payloads}, ${runAts},
    queue_name => ${options.queue ?? null},
    max_attempts => ${options.maxAttempts ?? DELIVERY_MAX_ATTEMPTS})`;
}

/**
 * The add_job call as a fragment, for a statement that computes the payload itself. A job
 * without a key goes through hatch_add_job (sql/014_quiet_job_queue.sql): the same job, with a
 * NOTIFY only when a worker is waiting for one, so busy sends do not commit one at a time.
 */
export function jobCall(
  sql: Tx,
  task: keyof JobPayloads,
  payload: ReturnType<Tx>,
  options: JobOptions = {},
) {
  // A priority (broadcast texts) needs graphile-worker's own add_job.
  if (!options.jobKey && options.priority === undefined) {
    return sql`hatch_add_job(
    ${task}, ${payload},
    queue_name => ${options.queue ?? null},
    run_at => ${options.runAt ?? null},
    max_attempts => ${options.maxAttempts ?? DELIVERY_MAX_ATTEMPTS})`;
  }
  return sql`graphile_worker.add_job(
    ${task}, ${payload},
    queue_name => ${options.queue ?? null},
    run_at => ${options.runAt ?? null},
    max_attempts => ${options.maxAttempts ?? DELIVERY_MAX_ATTEMPTS},
    job_key => ${options.jobKey ?? null},
    priority => ${options.priority ?? null})`;
}
