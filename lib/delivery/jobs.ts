import type { Tx } from "../db/connect.ts";

/** Hatch's job names and their payloads. */
export interface JobPayloads {
  deliver_message: { message_id: string };
  deliver_email: { email_id: string };
  apply_status: { kind: "message" | "email"; id: string; status: string };
}

/** How many times a delivery is tried before it is marked failed. */
export const DELIVERY_MAX_ATTEMPTS = 8;

/** Adds a job with graphile-worker's add_job in the caller's transaction, so both commit together. */
export async function addJob<K extends keyof JobPayloads>(
  tx: Tx,
  task: K,
  payload: JobPayloads[K],
  options: { queue?: string; runAt?: Date; maxAttempts?: number; jobKey?: string } = {},
): Promise<void> {
  await tx`select graphile_worker.add_job(
    ${task}, ${tx.json(payload as never)}::json,
    queue_name => ${options.queue ?? null},
    run_at => ${options.runAt ?? null},
    max_attempts => ${options.maxAttempts ?? DELIVERY_MAX_ATTEMPTS},
    job_key => ${options.jobKey ?? null})`;
}
