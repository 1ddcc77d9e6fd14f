// Scheduled messages and emails: changed or cancelled until they leave.
import type { Tx } from "@/lib/db/connect.ts";
import { type ThreadTable } from "@/lib/db/thread.ts";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/errors.ts";
import { type Actor, audit } from "@/lib/auth/audit.ts";
import { deliveryJob, jobCall, jsonPayload } from "@/lib/delivery/jobs.ts";
import { sendTime } from "./send_time.ts";
import { smsLength } from "./schemas.ts";

type Kind = "message" | "email";
const TABLE: Record<Kind, ThreadTable> = { message: "messages", email: "emails" };

// The row, locked after its conversation's row (the lock order), while it has not left yet.
async function lockScheduled(tx: Tx, kind: Kind, id: string) {
  const table = TABLE[kind];
  const [found] = await tx`select conversation_id from ${tx(table)} where id = ${id}`;
  if (!found) {
    throw new NotFoundError(`${kind === "message" ? "Message" : "Email"} "${id}" not found`);
  }
  await tx`select 1 from conversations where id = ${found.conversation_id} for update`;
  const [row] = await tx`select * from ${tx(table)} where id = ${id} for update`;
  if (!row.send_at || row.direction !== "outbound") {
    throw new BadRequestError(
      `${kind === "message" ? "Message" : "Email"} "${id}" was not scheduled`,
    );
  }
  if (row.status !== "queued") {
    throw new ConflictError(
      `${kind === "message" ? "Message" : "Email"} "${id}" has ${
        row.status === "failed" ? "been cancelled or failed" : "already left"
      }: it can no longer be changed`,
    );
  }
  return row;
}

/** Changes a scheduled message's or email's text or time before it leaves. */
export async function editScheduled(
  sql: Tx,
  target: { kind: Kind; id: string },
  change: { content?: string; send_at?: string },
  actor: Actor,
): Promise<void> {
  const at = change.send_at === undefined ? undefined : sendTime(change.send_at);
  if (change.send_at !== undefined && !at) {
    throw new BadRequestError(
      `send_at "${change.send_at}" is now: to send at once, cancel it and send it again`,
    );
  }
  if (
    target.kind === "message" && change.content !== undefined && smsLength(change.content) > 1600
  ) {
    throw new BadRequestError("content is too long: at most 1600 characters");
  }
  await sql.begin(async (tx) => {
    const row = await lockScheduled(tx, target.kind, target.id);
    const table = TABLE[target.kind];
    const sendAt = at ?? row.send_at;
    await tx`
      update ${tx(table)} set body = coalesce(${change.content ?? null}, body),
        send_at = ${sendAt}, created_at = ${sendAt}, updated_at = now()
      where id = ${target.id}`;
    if (at) {
      // The same key: graphile-worker moves the waiting job to the new time.
      const job = deliveryJob(target.kind, target.id, row.conversation_id);
      await tx`select ${
        jobCall(
          tx,
          job.task,
          jsonPayload(tx, job.payload),
          {
            runAt: at,
            jobKey: `${target.kind}:${target.id}`,
          },
        )
      }`;
    }
    await audit(tx, actor, `schedule.${target.kind}.edited`, {
      detail: { id: target.id, send_at: sendAt, content_changed: change.content !== undefined },
    });
  });
}

/** Cancels a scheduled message or email before it leaves: it stays in the thread, not sent. */
export async function cancelScheduled(
  sql: Tx,
  target: { kind: Kind; id: string },
  actor: Actor,
): Promise<void> {
  await sql.begin(async (tx) => {
    await lockScheduled(tx, target.kind, target.id);
    await tx`
      update ${tx(TABLE[target.kind])} set status = 'failed', error_code = 'canceled',
        error_message = ${`Cancelled by ${actor.label} before it left`}, updated_at = now()
      where id = ${target.id}`;
    await tx`select graphile_worker.remove_job(${`${target.kind}:${target.id}`})`;
    await audit(tx, actor, `schedule.${target.kind}.cancelled`, { detail: { id: target.id } });
  });
}
