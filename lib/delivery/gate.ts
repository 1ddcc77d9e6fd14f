// What a text must pass before it is handed to the provider: its time, the recipient's opt-out,
// quiet hours for marketing, and the sender's pace.
import type { Sql } from "@/lib/db/connect.ts";
import type { Settings } from "@/lib/config.ts";
import { applyStatus } from "@/lib/db/thread.ts";
import { logger } from "@/lib/log.ts";
import { optOutOf } from "@/lib/messages/opt_outs.ts";
import { addJob, BULK_PRIORITY } from "./jobs.ts";
import { reserveSlot } from "./pacing.ts";
import { parseQuietWindow, quietUntil } from "./quiet_hours.ts";

const log = logger("delivery");

/** How far ahead a reply may book its slot before its job steps aside and comes back. */
const REPLY_HORIZON_MS = 5_000;
// Slots are this much wider than 1/MPS: a request that leaves a few milliseconds late after a
// busy moment must not make the provider count one too many in a second.
const PACING_MARGIN = 1.05;

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
  return Math.ceil((1000 / settings.TWILIO_MPS) * PACING_MARGIN);
}

// Queues the message's delivery again at `at` (a time on the worker's clock).
async function comeBackAt(deps: GateDeps, m: Row, at: Date): Promise<void> {
  await addJob(deps.sql, "deliver_message", { message_id: m.id }, {
    queue: `conv:${m.conversation_id}`,
    runAt: new Date(Date.now() + Math.max(0, at.getTime() - deps.now().getTime())),
    jobKey: m.send_at ? `message:${m.id}` : undefined,
    priority: isBulk(m) ? BULK_PRIORITY : undefined,
  });
}

function isBulk(m: Row): boolean {
  return Boolean(m.broadcast_id);
}

/**
 * Decides whether a queued text goes now. Answers the milliseconds to wait for its slot when it
 * does; otherwise undefined, having failed it in words (opted out) or queued it again for later
 * (quiet hours, pace), so the job ends.
 */
export async function passGate(deps: GateDeps, m: Row): Promise<number | undefined> {
  // An edit moved it later while this job was already running: the keyed job carries the time.
  if (m.send_at && new Date(m.send_at).getTime() > Date.now() + 1_000) return undefined;
  const out = await optOutOf(deps.sql, m.from_contact, m.to_contact);
  if (out) {
    await applyStatus(deps.sql, "messages", m.id, {
      status: "failed",
      errorCode: "opted_out",
      errorMessage: `Not sent: ${m.to_contact} opted out (${out.keyword}) on ${
        out.opted_out_at.toISOString().slice(0, 10)
      }, after this was queued`,
    });
    return undefined;
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
      await deps.sql`update messages set held_until = ${until} where id = ${m.id}`;
      await comeBackAt(deps, m, until);
      return undefined;
    }
  }
  if (!deps.paced) return 0;
  const interval = pacingIntervalMs(deps.settings);
  const slot = await reserveSlot(deps.sql, {
    sender: deps.settings.TWILIO_MESSAGING_SERVICE_SID || m.from_contact,
    intervalMs: interval,
    // A broadcast books at most one slot ahead, so a reply never waits behind more than that.
    horizonMs: isBulk(m) ? interval : REPLY_HORIZON_MS,
  });
  if (slot.reserved) return slot.waitMs;
  await comeBackAt(deps, m, new Date(deps.now().getTime() + slot.retryInMs));
  return undefined;
}
