// Who handles a conversation and where it stands: its state (open, snoozed until a time,
// closed), its assignee and its labels, changed by a teammate or over the API. The system line in
// the thread comes from the row's trigger (hatch_system_line), whatever made the change.
import type { Tx } from "@/lib/db/connect.ts";
import { type Actor, audit } from "@/lib/auth/audit.ts";
import { addJob } from "@/lib/delivery/jobs.ts";
import { BadRequestError, NotFoundError } from "@/lib/errors.ts";
import { emitWebhook } from "@/lib/webhooks/fanout.ts";
import type { ConversationPatch } from "./team_schemas.ts";
import type { Conversation } from "./schemas.ts";
import { getConversation } from "./service.ts";

/** How long a snooze may last at most. */
const MAX_SNOOZE_DAYS = 366;

interface Current {
  state: string;
  assignee_id: string | null;
  label_ids: string[];
  snoozed_until: Date | null;
}

async function assertAssignable(tx: Tx, userId: string): Promise<void> {
  const [user] = await tx`select disabled_at from users where id = ${userId}`;
  if (!user) throw new BadRequestError(`Cannot assign to "${userId}": no such user`);
  if (user.disabled_at) throw new BadRequestError(`Cannot assign to "${userId}": user is disabled`);
}

async function assertLabels(tx: Tx, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const rows = await tx`select id from labels where id = any(${ids}::uuid[])`;
  const known = new Set(rows.map((r) => r.id as string));
  const missing = ids.find((id) => !known.has(id));
  if (missing) throw new BadRequestError(`Cannot apply label "${missing}": no such label`);
}

function snoozeTime(patch: ConversationPatch, now: Date): Date | null {
  if (patch.state !== "snoozed") {
    if (patch.snoozed_until) {
      throw new BadRequestError(`snoozed_until is only for state "snoozed"`);
    }
    return null;
  }
  if (!patch.snoozed_until) {
    throw new BadRequestError(`Cannot snooze: say until when (snoozed_until)`);
  }
  const until = new Date(patch.snoozed_until);
  if (until.getTime() <= now.getTime()) {
    throw new BadRequestError(`Cannot snooze until "${patch.snoozed_until}": that time has passed`);
  }
  if (until.getTime() - now.getTime() > MAX_SNOOZE_DAYS * 86_400_000) {
    throw new BadRequestError(
      `Cannot snooze until "${patch.snoozed_until}": at most ${MAX_SNOOZE_DAYS} days ahead`,
    );
  }
  return until;
}

function nextLabels(current: string[], patch: ConversationPatch): string[] {
  let labels = patch.label_ids ? [...new Set(patch.label_ids)] : [...current];
  for (const id of patch.add_label_ids ?? []) if (!labels.includes(id)) labels.push(id);
  const remove = new Set(patch.remove_label_ids ?? []);
  labels = labels.filter((id) => !remove.has(id));
  if (labels.length > 20) throw new BadRequestError("labels: at most 20 per conversation");
  return labels;
}

/**
 * Changes a conversation's state, assignee and labels in one transaction: the row's lock first,
 * the update (whose triggers write the event, the counts and the system lines), the audit
 * entries, then the snooze's wake-up job, keyed by the conversation so a new snooze replaces it,
 * and the webhooks of an assignment or a close.
 */
export async function updateConversation(
  sql: Tx,
  options: { id: string; patch: ConversationPatch; actor: Actor },
): Promise<Conversation> {
  const { id, patch, actor } = options;
  return await sql.begin(async (tx) => {
    const [row] = await tx<Current[]>`
      select state, assignee_id, label_ids, snoozed_until from conversations
      where id = ${id} for update`;
    if (!row) throw new NotFoundError(`Conversation "${id}" not found`);
    const [{ now }] = await tx<{ now: Date }[]>`select now() as now`;
    const until = snoozeTime(patch, now);
    const state = patch.state ?? row.state;
    const assignee = patch.assignee_id === undefined ? row.assignee_id : patch.assignee_id;
    if (assignee && assignee !== row.assignee_id) await assertAssignable(tx, assignee);
    const labels = nextLabels(row.label_ids, patch);
    await assertLabels(tx, labels.filter((l) => !row.label_ids.includes(l)));
    const snoozedUntil = state === "snoozed" ? (until ?? row.snoozed_until) : null;
    await tx`
      update conversations set state = ${state}, snoozed_until = ${snoozedUntil},
        assignee_id = ${assignee}, label_ids = ${labels}::uuid[],
        changed_by = ${actor.userId ?? null}, change_cause = 'user'
      where id = ${id}`;
    const target = id;
    if (state !== row.state || (until && state === "snoozed")) {
      await audit(tx, actor, `conversation.${state === "open" ? "reopened" : state}`, {
        target,
        detail: { from: row.state, ...(until ? { until: until.toISOString() } : {}) },
      });
    }
    if (assignee !== row.assignee_id) {
      await audit(tx, actor, assignee ? "conversation.assigned" : "conversation.unassigned", {
        target,
        detail: { from: row.assignee_id, to: assignee },
      });
    }
    const added = labels.filter((l) => !row.label_ids.includes(l));
    const removed = row.label_ids.filter((l) => !labels.includes(l));
    if (added.length || removed.length) {
      await audit(tx, actor, "conversation.labelled", { target, detail: { added, removed } });
    }
    if (until && state === "snoozed") {
      await addJob(tx, "wake_snoozed", { conversation_id: id }, {
        runAt: until,
        jobKey: `wake:${id}`,
        maxAttempts: 25,
      });
    }
    const conversation = await getConversation(tx, id, actor.userId);
    // In the same transaction: a change rolled back sends nothing.
    const data = { ...conversation, changed_by: actor.userId ?? null };
    if (assignee && assignee !== row.assignee_id) {
      await emitWebhook(tx, "conversation.assigned", data);
    }
    if (state === "closed" && row.state !== "closed") {
      await emitWebhook(tx, "conversation.closed", data);
    }
    return conversation;
  });
}

/** Applies one change to several conversations, each as updateConversation does; all or none. */
export async function updateConversations(
  sql: Tx,
  options: { ids: string[]; patch: ConversationPatch; actor: Actor },
): Promise<void> {
  // Ids in a fixed order: two bulk changes over overlapping sets take the row locks in the same
  // order, so they cannot deadlock.
  const ids = [...new Set(options.ids)].sort();
  await sql.begin(async (tx) => {
    for (const id of ids) await updateConversation(tx, { ...options, id });
  });
}

/**
 * Reopens a snoozed conversation whose time has come (the `wake_snoozed` job, or the sweep for
 * all of them); a conversation reopened, closed or snoozed again meanwhile is left alone.
 * Returns how many woke.
 */
export async function wakeSnoozed(sql: Tx, conversationId?: string): Promise<number> {
  return await sql.begin(async (tx) => {
    const rows = await tx`
      update conversations set state = 'open', snoozed_until = null, changed_by = null,
        change_cause = 'snooze'
      where id in (
        select id from conversations
        where state = 'snoozed' and snoozed_until <= now()
          ${conversationId ? tx`and id = ${conversationId}` : tx``}
        order by id
        for update skip locked)
      returning id`;
    for (const r of rows) {
      await audit(tx, { label: "Hatch" }, "conversation.woke", { target: r.id as string });
    }
    return rows.length;
  });
}
