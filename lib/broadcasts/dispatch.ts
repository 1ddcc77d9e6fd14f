// The broadcast's dispatcher: a job that hands the next few seconds' worth of recipients to the
// delivery queue, each text at its own slot, then comes back for more. Pausing or cancelling
// stops it at its next turn; the gate holds or fails the texts it already queued.
import type { Sql } from "@/lib/db/connect.ts";
import type { Settings } from "@/lib/config.ts";
import { HatchError } from "@/lib/errors.ts";
import { logger } from "@/lib/log.ts";
import { addJob } from "@/lib/delivery/jobs.ts";
import { pacingIntervalMs } from "@/lib/delivery/gate.ts";
import { sendMessage } from "@/lib/messages/service.ts";
import { fillTemplate } from "@/lib/shared/template.ts";
import { emitWebhook } from "@/lib/webhooks/fanout.ts";
import { getBroadcast } from "./service.ts";

const log = logger("broadcast");

/** How far ahead (ms) the dispatcher queues texts: a pause takes effect within about this. */
const WINDOW_MS = 3_000;
/** How often a broadcast whose texts are all queued checks whether they have all left. */
const FINISH_CHECK_MS = 2_000;

/** Queues the broadcast's next recipients at the sender's pace; finishes it once all left. */
export async function dispatchBroadcast(
  sql: Sql,
  settings: Settings,
  id: string,
): Promise<void> {
  const [b] = await sql`select * from broadcasts where id = ${id}`;
  if (!b || b.state !== "running") return;
  const interval = pacingIntervalMs(settings);
  const batch = Math.max(1, Math.ceil(WINDOW_MS / interval));
  // Only as many as keep about a window's worth waiting: when sends fall behind their slots,
  // more queued texts would only crowd the sender's slots, not go faster.
  const [waiting] = await sql`
    select count(*)::int as n from messages
    where broadcast_id = ${id} and status in ('queued', 'sending')`;
  const room = Math.max(0, batch - waiting.n);
  const pending = room === 0 ? [] : await sql`
    select phone, variables from broadcast_recipients
    where broadcast_id = ${id} and state = 'pending' order by position limit ${room}`;
  const [{ now }] = await sql`select clock_timestamp() as now`;
  let slot = Math.max(b.next_slot_at ? new Date(b.next_slot_at).getTime() : 0, now.getTime());
  for (const r of pending) {
    const filled = fillTemplate(b.body, r.variables);
    try {
      await sql.begin(async (tx) => {
        const sent = await sendMessage(tx, settings, { to: r.phone, content: filled.text }, {
          bulk: { broadcastId: id, runAt: new Date(slot) },
        });
        await tx`
          update broadcast_recipients set state = 'queued', message_id = ${sent.message_id}
          where broadcast_id = ${id} and phone = ${r.phone}`;
      });
      slot += interval;
    } catch (e) {
      if (!(e instanceof HatchError)) throw e;
      // Opted out since the broadcast started, say: skipped, with the words why.
      await sql`
        update broadcast_recipients
        set state = 'skipped', skip_reason = ${
        /opted out/.test(e.message) ? "opted_out" : e.message
      }
        where broadcast_id = ${id} and phone = ${r.phone}`;
    }
  }
  await sql`update broadcasts set next_slot_at = ${new Date(slot)} where id = ${id}`;
  const [more] = await sql`
    select exists (select 1 from broadcast_recipients where broadcast_id = ${id} and state = 'pending')
      as any`;
  if (more.any) {
    await addJob(sql, "broadcast_dispatch", { broadcast_id: id }, {
      runAt: new Date(Math.max(Date.now() + interval, slot - WINDOW_MS / 2)),
      queue: `broadcast:${id}`,
    });
    return;
  }
  const [left] = await sql`
    select count(*)::int as n from messages
    where broadcast_id = ${id} and status in ('queued', 'sending')`;
  if (left.n > 0) {
    await addJob(sql, "broadcast_dispatch", { broadcast_id: id }, {
      runAt: new Date(Date.now() + FINISH_CHECK_MS),
      queue: `broadcast:${id}`,
    });
    return;
  }
  await sql.begin(async (tx) => {
    const [done] = await tx`
      update broadcasts set state = 'finished', finished_at = now(), updated_at = now()
      where id = ${id} and state = 'running' returning id`;
    if (done) await emitWebhook(tx, "broadcast.finished", await getBroadcast(tx, id));
  });
  log.info("Broadcast {id} finished", { id });
}
