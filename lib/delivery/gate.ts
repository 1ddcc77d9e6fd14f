// What a text must pass before it is handed to the provider: its time, the recipient's opt-out,
// quiet hours for marketing, and the sender's pace.
import type { Sql, Tx } from "@/lib/db/connect.ts";
import type { Settings } from "@/lib/config.ts";
import { applyStatus } from "@/lib/db/thread.ts";
import { logger } from "@/lib/log.ts";
import { addJob, BULK_PRIORITY, deliveryJob } from "./jobs.ts";
import { paceOf, reserveSlot } from "./pacing.ts";
import { ProviderError } from "@/lib/providers/types.ts";
import { parseQuietWindow, quietUntil } from "./quiet_hours.ts";

const log = logger("delivery");

/** How far ahead a reply may book its slot. */
const REPLY_HORIZON_MS = 5_000;
/** How long a text waits for a slot before its job gives way and is retried. */
const MAX_SLOT_WAIT_MS = 60_000;

// A paused broadcast's texts already queued look again this often.
const PAUSED_RECHECK_MS = 2_000;

/** What the gate needs from the worker. */
export interface GateDeps {
  sql: Sql;
  settings: Settings;
  /** The clock quiet hours read (tests put the recipient at 20:50 with it). */
  now: () => Date;
  /** Whether texts are paced (a real provider: Twilio). */
  paced: boolean;
}

// deno-lint-ignore no-explicit-any -- a messages row
type Row = Record<string, any>;

/** The gap between two texts from one sender at the configured rate. */
export function pacingIntervalMs(settings: Settings): number {
  return paceOf(settings.TWILIO_MPS).intervalMs;
}

// Queues the message's delivery again at `at` (a time on the worker's clock).
async function comeBackAt(
  deps: GateDeps,
  m: Row,
  at: Date,
  sql: Tx = deps.sql,
): Promise<void> {
  const job = deliveryJob("message", m.id, m.conversation_id);
  await addJob(sql, job.task, job.payload, {
    runAt: new Date(Date.now() + Math.max(0, at.getTime() - deps.now().getTime())),
    jobKey: m.send_at ? `message:${m.id}` : undefined,
    priority: isBulk(m) ? BULK_PRIORITY : undefined,
  });
}

function isBulk(m: Row): boolean {
  return Boolean(m.broadcast_id);
}

/**
 * Decides whether a queued text goes now; otherwise answers false, having failed it in words
 * (opted out, broadcast cancelled) or queued it again for later (quiet hours, paused), so the
 * job ends. `m` is the messages row with its recipient's opt-out (`opt_out_keyword`,
 * `opt_out_at`), as the delivery task reads it.
 */
export async function passGate(deps: GateDeps, m: Row): Promise<boolean> {
  // An edit moved it later while this job was already running: the keyed job carries the time.
  if (m.send_at && new Date(m.send_at).getTime() > Date.now() + 1_000) return false;
  if (m.broadcast_id) {
    const [b] = await deps.sql`select state from broadcasts where id = ${m.broadcast_id}`;
    if (b?.state === "canceled") {
      await applyStatus(deps.sql, "messages", m.id, {
        status: "failed",
        errorCode: "canceled",
        errorMessage: "Not sent: the broadcast was cancelled before it left",
      });
      return false;
    }
    if (b?.state === "paused") {
      await comeBackAt(deps, m, new Date(deps.now().getTime() + PAUSED_RECHECK_MS));
      return false;
    }
  }
  // An opt-out's confirmation (keyword stop on our side) is the one text that still goes.
  if (m.opt_out_keyword && m.keyword !== "stop") {
    await applyStatus(deps.sql, "messages", m.id, {
      status: "failed",
      errorCode: "opted_out",
      errorMessage: `Not sent: ${m.to_contact} opted out (${m.opt_out_keyword}) on ${
        (m.opt_out_at as Date).toISOString().slice(0, 10)
      }, after this was queued`,
    });
    return false;
  }
  const window = parseQuietWindow(deps.settings.HATCH_QUIET_HOURS);
  if (m.marketing && window) {
    const until = await quietUntil(m.to_contact, {
      now: deps.now(),
      window,
      fallbackZone: deps.settings.HATCH_QUIET_HOURS_ZONE,
    });
    if (until) {
      log.info("Message {id} held for quiet hours until {until}", { id: m.id, until });
      // Together: the thread's "held until" and the job that waits for it.
      await deps.sql.begin(async (tx) => {
        await tx`update messages set held_until = ${until} where id = ${m.id}`;
        await comeBackAt(deps, m, until, tx);
      });
      return false;
    }
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for the sender's next slot and answers its id (undefined when texts are not paced): the
 * text goes at once, and `slotDone` records the provider's answer. A broadcast text takes a
 * slot only when it is due; a reply books the next one ahead of every broadcast text waiting.
 */
export async function takeSlot(deps: GateDeps, m: Row): Promise<number | undefined> {
  if (!deps.paced) return undefined;
  const pace = paceOf(deps.settings.TWILIO_MPS);
  const sender = deps.settings.TWILIO_MESSAGING_SERVICE_SID || m.from_contact;
  const deadline = Date.now() + MAX_SLOT_WAIT_MS;
  while (Date.now() < deadline) {
    const slot = await reserveSlot(deps.sql, {
      sender,
      pace,
      horizonMs: isBulk(m) ? 0 : REPLY_HORIZON_MS,
    });
    if (slot.reserved) {
      if (slot.waitMs > 0) await sleep(slot.waitMs);
      return slot.id;
    }
    // The waiters ask again just after the slot frees, the longest-waiting first (roughly:
    // first come, first served, without a queue of their own); replies before broadcasts.
    const waited = Date.now() + MAX_SLOT_WAIT_MS - deadline;
    const behind = isBulk(m) ? Math.max(0, 10 - waited / 100) + Math.random() * 3 : 0;
    await sleep(Math.min(slot.retryInMs + behind, Math.max(0, deadline - Date.now())));
  }
  throw new ProviderError(`Sender ${sender} is at its rate (${deps.settings.TWILIO_MPS}/s)`, {
    code: "paced",
    transient: true,
  });
}
