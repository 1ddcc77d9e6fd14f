// Broadcasts: one text to many, previewed, started, paused, resumed or cancelled, with progress.
import type { Sql, Tx } from "@/lib/db/connect.ts";
import type { Settings } from "@/lib/config.ts";
import { ConflictError, NotFoundError } from "@/lib/errors.ts";
import { type Actor, audit } from "@/lib/auth/audit.ts";
import { addJob } from "@/lib/delivery/jobs.ts";
import { smsFromAddress } from "@/lib/providers/select.ts";
import { countSms } from "@/lib/shared/sms_segments.ts";
import { fillTemplate, variablesIn } from "@/lib/shared/template.ts";
import { resolveAudience } from "./audience.ts";
import type { Broadcast, BroadcastInput, BroadcastPreview } from "./schemas.ts";

/** The values every recipient shares: the business's name and the sender's. */
export async function sharedValues(
  sql: Tx,
  settings: Settings,
  userId: string | null | undefined,
): Promise<Record<string, string>> {
  const [user] = userId ? await sql`select name, email from users where id = ${userId}` : [];
  return {
    "business.name": settings.HATCH_BUSINESS_NAME,
    "agent.name": (user?.name as string) || "",
  };
}

async function optedOut(sql: Tx, sender: string, phones: string[]): Promise<Set<string>> {
  const rows = await sql`
    select recipient from sms_opt_outs where sender = ${sender} and recipient = any(${phones})`;
  return new Set(rows.map((r) => r.recipient as string));
}

/** What a broadcast would do: how many texts, how many skipped and why, segments and cost. */
export async function previewBroadcast(
  sql: Tx,
  settings: Settings,
  input: BroadcastInput,
  actor: Actor,
): Promise<BroadcastPreview> {
  const resolved = await resolveAudience(sql, input.recipients, settings.HATCH_DEFAULT_COUNTRY);
  const sender = smsFromAddress(settings);
  const out = await optedOut(sql, sender, resolved.candidates.map((c) => c.phone));
  const going = resolved.candidates.filter((c) => !out.has(c.phone));
  const shared = await sharedValues(sql, settings, actor.userId);
  const missing = new Set<string>();
  let longest = countSms(fillTemplate(input.body, shared).text);
  let sample = "";
  for (const c of going) {
    const filled = fillTemplate(input.body, { ...shared, ...c.variables });
    filled.missing.forEach((m) => missing.add(m));
    const count = countSms(filled.text);
    if (count.segments > longest.segments) longest = count;
    sample ||= filled.text;
  }
  const unknown = fillTemplate(input.body, {}).unknown;
  const perMessage = Math.round(longest.segments * settings.HATCH_SMS_SEGMENT_COST * 1e4) / 1e4;
  return {
    recipients: going.length,
    skipped_opted_out: resolved.candidates.length - going.length,
    skipped_invalid: resolved.invalid,
    skipped_duplicate: resolved.duplicate,
    segments: longest.segments,
    encoding: longest.encoding,
    cost_per_message: perMessage,
    cost_total: Math.round(perMessage * going.length * 100) / 100,
    missing_variables: [...missing].filter((m) => variablesIn(input.body).includes(m)),
    unknown_variables: unknown,
    sample: sample || fillTemplate(input.body, shared).text,
  };
}

/** Stores a broadcast with its recipients (opted-out ones marked skipped) and starts it. */
export async function startBroadcast(
  sql: Sql,
  settings: Settings,
  input: BroadcastInput,
  actor: Actor,
): Promise<Broadcast> {
  const resolved = await resolveAudience(sql, input.recipients, settings.HATCH_DEFAULT_COUNTRY);
  const sender = smsFromAddress(settings);
  const shared = await sharedValues(sql, settings, actor.userId);
  const id = await sql.begin(async (tx) => {
    const out = await optedOut(tx, sender, resolved.candidates.map((c) => c.phone));
    const [b] = await tx`
      insert into broadcasts (name, body, sender, state, created_by, skipped_invalid,
        skipped_duplicate)
      values (${input.name}, ${input.body}, ${sender}, 'running', ${actor.userId ?? null},
        ${resolved.invalid}, ${resolved.duplicate})
      returning id`;
    const c = resolved.candidates;
    await tx`
      insert into broadcast_recipients (broadcast_id, position, phone, contact_id, variables,
        state, skip_reason)
      select ${b.id}::uuid, r.position, r.phone, r.contact_id, r.variables, r.state, r.reason
      from unnest(${c.map((_, i) => i)}::int[], ${c.map((x) => x.phone)}::text[],
        ${c.map((x) => x.contactId)}::uuid[],
        ${c.map((x) => JSON.stringify({ ...shared, ...x.variables }))}::jsonb[],
        ${c.map((x) => out.has(x.phone) ? "skipped" : "pending")}::text[],
        ${c.map((x) => out.has(x.phone) ? "opted_out" : null)}::text[])
        as r(position, phone, contact_id, variables, state, reason)`;
    await addJob(tx, "broadcast_dispatch", { broadcast_id: b.id }, {
      jobKey: `broadcast:${b.id}`,
      queue: `broadcast:${b.id}`,
    });
    await audit(tx, actor, "broadcast.started", {
      target: input.name,
      detail: { broadcast_id: b.id, recipients: c.length - out.size, opted_out: out.size },
    });
    return b.id as string;
  });
  return getBroadcast(sql, id);
}

/** A broadcast with its progress, counted from its recipients and their messages. */
export async function getBroadcast(sql: Tx, id: string): Promise<Broadcast> {
  const [b] = await sql`select * from broadcasts where id = ${id}`;
  if (!b) throw new NotFoundError(`Broadcast "${id}" not found`);
  const [p] = await sql`
    select count(*)::int as total,
      count(*) filter (where r.state = 'pending')::int as pending,
      count(*) filter (where r.state = 'skipped')::int as skipped,
      count(*) filter (where r.state = 'canceled')::int as canceled,
      count(m.id) filter (where m.status in ('queued', 'sending'))::int as queued,
      count(m.id) filter (where m.status = 'sent')::int as sent,
      count(m.id) filter (where m.status = 'delivered')::int as delivered,
      count(m.id) filter (where m.status in ('failed', 'undelivered'))::int as failed,
      count(m.id) filter (where exists (
        select 1 from messages i
        where i.conversation_id = m.conversation_id and i.direction = 'inbound'
          and i.created_at > m.created_at))::int as replied
    from broadcast_recipients r left join messages m on m.id = r.message_id
    where r.broadcast_id = ${id}`;
  const reasons = await sql`
    select skip_reason, count(*)::int as n from broadcast_recipients
    where broadcast_id = ${id} and state = 'skipped' group by skip_reason`;
  const skipped: Record<string, number> = Object.fromEntries(
    reasons.map((r) => [r.skip_reason as string, r.n as number]),
  );
  if (b.skipped_invalid) skipped.invalid_number = b.skipped_invalid;
  if (b.skipped_duplicate) skipped.duplicate = b.skipped_duplicate;
  return {
    id: b.id,
    name: b.name,
    body: b.body,
    state: b.state,
    created_at: new Date(b.created_at).toISOString(),
    finished_at: b.finished_at ? new Date(b.finished_at).toISOString() : null,
    progress: { ...p } as Broadcast["progress"],
    skipped,
  };
}

/** The newest broadcasts first, each with its progress. */
export async function listBroadcasts(sql: Tx, limit = 50): Promise<Broadcast[]> {
  const rows =
    await sql`select id from broadcasts order by created_at desc, id desc limit ${limit}`;
  const out: Broadcast[] = [];
  for (const r of rows) out.push(await getBroadcast(sql, r.id as string));
  return out;
}

const MOVES: Record<string, { from: string[]; to: string }> = {
  pause: { from: ["running"], to: "paused" },
  resume: { from: ["paused"], to: "running" },
  cancel: { from: ["running", "paused"], to: "canceled" },
};

/** Pauses, resumes or cancels a broadcast; texts already queued wait, or fail as cancelled. */
export async function controlBroadcast(
  sql: Sql,
  id: string,
  action: "pause" | "resume" | "cancel",
  actor: Actor,
): Promise<Broadcast> {
  await sql.begin(async (tx) => {
    const [b] = await tx`select state, name from broadcasts where id = ${id} for update`;
    if (!b) throw new NotFoundError(`Broadcast "${id}" not found`);
    const move = MOVES[action];
    if (!move.from.includes(b.state)) {
      throw new ConflictError(`Cannot ${action} broadcast "${b.name}": it is ${b.state}`);
    }
    await tx`
      update broadcasts set state = ${move.to}, updated_at = now(),
        finished_at = case when ${move.to} = 'canceled' then now() else finished_at end
      where id = ${id}`;
    if (action === "cancel") {
      await tx`
        update broadcast_recipients set state = 'canceled'
        where broadcast_id = ${id} and state = 'pending'`;
    }
    if (action === "resume") {
      await addJob(tx, "broadcast_dispatch", { broadcast_id: id }, {
        jobKey: `broadcast:${id}`,
        queue: `broadcast:${id}`,
      });
    }
    await audit(tx, actor, `broadcast.${action}`, { target: b.name, detail: { broadcast_id: id } });
  });
  return getBroadcast(sql, id);
}
