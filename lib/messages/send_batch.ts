// A send is one statement and one commit, and under load most of its cost is being one: the
// statement's start-up, its triggers' calls, its commit's flush of PostgreSQL's log, and the
// round trip that wakes a backend on a shared core. Sends that arrive while another is being
// stored are stored together (SendBatch, below): one statement for all of them, each
// request answered once that statement has committed, so nothing is accepted before it is stored.
import type { Sql, Tx } from "@/lib/db/connect.ts";
import { conversationsUpsert, previewOf } from "@/lib/conversations/service.ts";
import { StoreBatch } from "@/lib/delivery/batcher.ts";
import { jobCall, type JobPayloads, jobsCall } from "@/lib/delivery/jobs.ts";
import { logger } from "@/lib/log.ts";

const log = logger("messages");

/** One outbound message, checked and ready to store, with what comes with it. */
export interface PreparedSend {
  messageId: string;
  conversationId: string;
  channel: "sms" | "chat";
  from: string;
  to: string;
  body: string;
  media: { url: string; content_type: null }[];
  status: "queued" | "sent";
  provider: string | null;
  sentByUserId: string | null;
  sentByTokenId: string | null;
  sendAt: Date | null;
  marketing: boolean;
  broadcastId: string | null;
  keyword: string | null;
  /** Stored only while the recipient has not opted out (every text but an opt-out's confirmation). */
  checkOptOut: boolean;
  /** The user assigned the conversation when it has nobody and the team auto-assigns. */
  assignTo: string | null;
  /** Its delivery job (a text), added in the same statement. */
  job: {
    payload: JobPayloads["deliver_message"];
    runAt: Date | null;
    key: string | null;
    priority: number | null;
  } | null;
  /** Who sent it, for the audit log (a send by a user or a token is audited with its own row). */
  audit: { userId: string | null; tokenId: string | null; label: string; ip: string | null } | null;
}

/**
 * Stores `sends` in one statement: each one's message, its conversation's new state (one row
 * per conversation, however many of the sends are in it), its delivery job and its audit row.
 * Answers, in their order, whether each was stored: a text to a recipient who opted out is not.
 */
export async function storeSends(sql: Tx, sends: PreparedSend[]): Promise<boolean[]> {
  const rows = sends.map((s, ord) => ({
    ord,
    message_id: s.messageId,
    conversation_id: s.conversationId,
    channel: s.channel,
    from_contact: s.from,
    to_contact: s.to,
    body: s.body,
    preview: previewOf(s.body),
    media: s.media,
    status: s.status,
    provider: s.provider,
    sent_by_user_id: s.sentByUserId,
    sent_by_token_id: s.sentByTokenId,
    send_at: s.sendAt?.toISOString() ?? null,
    marketing: s.marketing,
    broadcast_id: s.broadcastId,
    keyword: s.keyword,
    check_opt_out: s.checkOptOut,
    assign_to: s.assignTo,
    job: s.job?.payload ?? null,
    run_at: s.job?.runAt?.toISOString() ?? null,
    job_key: s.job?.key ?? null,
    priority: s.job?.priority ?? null,
    audit_user_id: s.audit?.userId ?? null,
    audit_token_id: s.audit?.tokenId ?? null,
    audit_label: s.audit?.label ?? null,
    audit_ip: s.audit?.ip ?? null,
  }));
  const keyed = { runAt: sql`s.run_at`, jobKey: sql`s.job_key`, priority: sql`s.priority` };
  const quietJobs = jobsCall(
    sql,
    "deliver_message",
    sql`array_agg(s.job order by s.ord)`,
    sql`array_agg(s.run_at order by s.ord)`,
  );
  const [row] = await sql`
    with sends as (
      select * from jsonb_to_recordset(${sql.json(rows)}::jsonb) as s(ord int, message_id uuid,
        conversation_id uuid, channel text, from_contact text, to_contact text, body text,
        preview text, media jsonb, status text, provider text, sent_by_user_id uuid,
        sent_by_token_id uuid, send_at timestamptz, marketing boolean, broadcast_id uuid,
        keyword text, check_opt_out boolean, assign_to uuid, job json, run_at timestamptz,
        job_key text, priority int, audit_user_id uuid, audit_token_id uuid, audit_label text,
        audit_ip text)
    ), allowed as materialized (
      -- nth: a conversation's messages in one statement share now(); a microsecond apiece keeps
      -- them in the order they were sent.
      select s.*, row_number() over (partition by s.conversation_id order by s.ord) - 1 as nth
      from sends s
      where not s.check_opt_out or not exists (
        select from sms_opt_outs o where o.sender = s.from_contact and o.recipient = s.to_contact)
    ), conversation as (${
    conversationsUpsert(
      sql,
      "outbound",
      sql`select distinct on (a.conversation_id) a.conversation_id as id, a.channel,
        array[a.from_contact, a.to_contact] as participants, null::text as subject, a.preview,
        count(*) over (partition by a.conversation_id) as messages,
        a.sent_by_user_id as sender_id,
        (select a.assign_to from team_settings where auto_assign) as assignee,
        a.assign_to as changed_by
      from allowed a order by a.conversation_id, a.ord desc`,
    )
  } returning id
    ), message as (
      insert into messages (id, conversation_id, channel, direction, from_contact, to_contact, body,
        media, status, provider, sent_by_user_id, sent_by_token_id, send_at, marketing,
        broadcast_id, keyword, created_at)
      select a.message_id, c.id, a.channel, 'outbound', a.from_contact, a.to_contact, a.body,
        a.media, a.status, a.provider, a.sent_by_user_id, a.sent_by_token_id, a.send_at,
        a.marketing, a.broadcast_id, a.keyword,
        coalesce(a.send_at, now() + a.nth * interval '1 microsecond')
      from allowed a join conversation c on c.id = a.conversation_id order by a.ord
      returning id
    ), quiet_job as (
      select ${quietJobs} as count
      from message m join allowed s on s.message_id = m.id
      where s.job is not null and s.job_key is null and s.priority is null
    ), keyed_job as (
      select ${jobCall(sql, "deliver_message", sql`s.job`, keyed)}
      from message m join allowed s on s.message_id = m.id
      where s.job is not null and (s.job_key is not null or s.priority is not null)
    ), audited as (
      -- The target is the number as stored (E.164), however it was typed.
      insert into audit_log (actor_user_id, actor_token_id, actor_label, action, target, ip,
        detail)
      select s.audit_user_id, s.audit_token_id, s.audit_label, 'send.message', s.to_contact,
        s.audit_ip, jsonb_build_object('message_id', m.id)
      from message m join allowed s on s.message_id = m.id
      where s.audit_label is not null
      returning id
    )
    select array(select id::text from message) as stored,
      (select count from quiet_job) + (select count(*) from keyed_job) as jobs,
      (select count(*) from audited) as audited`;
  const stored = new Set(row.stored as string[]);
  return sends.map((s) => stored.has(s.messageId));
}

/**
 * Sends stored together: at most `inFlight` statements at once, the others gathering behind
 * them, up to `max` to a statement. One at a time stored the most a second on a 2-core machine
 * (larger statements, fewer commits), with no later answers: docs/benchmarks.md, the ninth VM.
 */
export class SendBatch extends StoreBatch<PreparedSend, boolean> {
  constructor(sql: Sql, options: { inFlight?: number; max?: number } = {}) {
    super(sql, storeSends, { ...options, split: { log, what: "sends" } });
  }
}
