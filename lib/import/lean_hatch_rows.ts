// How one lean_hatch row becomes a Hatch row: the prototype's tables (`messages`, `emails` in
// its data_model/database_model.py) hold Twilio's and its own strings as they came, so every
// field is read leniently and a row that cannot be placed is skipped with a reason.
import { conversationId } from "@/lib/conversations/conversation_id.ts";
import { looksLikePhone } from "@/lib/messages/address.ts";

/** A lean_hatch `messages` row as read (timestamps as text, as stored, naive or not). */
export interface SourceMessage {
  id: string;
  to_contact: string | null;
  from_contact: string | null;
  body: string | null;
  type: string | null;
  ts: string | null;
  status: string | null;
  conversation_id: string | null;
  external_sid: string | null;
  direction: string | null;
  error_code: string | null;
  error_message: string | null;
  num_media: number | null;
  num_segments: number | null;
  price: number | null;
  price_unit: string | null;
  date_sent: string | null;
  date_updated: string | null;
}

/** A lean_hatch `emails` row as read. */
export interface SourceEmail {
  id: string;
  to_contact: string | null;
  from_contact: string | null;
  subject: string | null;
  body: string | null;
  html_content: string | null;
  ts: string | null;
  status: string | null;
  conversation_id: string | null;
  direction: string | null;
  cc: string | null;
  bcc: string | null;
  reply_to: string | null;
  attachments: string | null;
  external_message_id: string | null;
  provider: string | null;
  provider_response: string | null;
  date_sent: string | null;
  date_updated: string | null;
  error_code: string | null;
  error_message: string | null;
}

/** What a row becomes, or why it was left out. */
export type Mapped<T> = { row: T; notes: string[] } | { skip: string };

type Direction = "inbound" | "outbound";
type Status = "sent" | "delivered" | "undelivered" | "failed" | "received";

/** Fields both kinds of row share once mapped. */
interface Common {
  id: string;
  conversation_id: string;
  direction: Direction;
  /** Our address first, then the customer's (Hatch's `participants`). */
  participants: [string, string];
  status: Status;
  error_code: string | null;
  error_message: string | null;
  /** As stored, with `zone` telling how to read it when it names no offset. */
  created_at: string | null;
  updated_at: string | null;
  provider: string | null;
  provider_message_id: string | null;
  provider_response: Record<string, unknown>;
}

/** A Hatch `messages` row to insert. */
export interface TargetMessage extends Common {
  channel: "sms" | "chat";
  from_contact: string;
  to_contact: string;
  body: string;
}

/** A Hatch `emails` row to insert. */
export interface TargetEmail extends Common {
  from_email: string;
  to_email: string;
  subject: string;
  body: string;
  html_content: string | null;
  cc: string | null;
  bcc: string | null;
  reply_to: string | null;
}

const KNOWN_DIRECTIONS = [
  "inbound",
  "inbound-api",
  "outbound",
  "outbound-api",
  "outbound-call",
  "outbound-reply",
];

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Twilio's directions are `inbound`, `outbound-api`, `outbound-call`, `outbound-reply`; the
// prototype wrote `inbound-api` and `outbound-api`. A missing one is read from the status.
function direction(raw: string | null, status: string | null): Direction | undefined {
  const d = (raw ?? "").trim().toLowerCase();
  if (d.startsWith("in")) return "inbound";
  if (d.startsWith("out")) return "outbound";
  if (d) return undefined;
  return ["received", "receiving"].includes((status ?? "").trim().toLowerCase())
    ? "inbound"
    : "outbound";
}

// Outbound statuses Hatch keeps final or as `sent`; the ones still on the way when the prototype
// stopped (pending, queued…) cannot be sent now (no job), so they become `sent` when Twilio had
// taken them (a SID) and `failed` otherwise, with a note.
function status(
  raw: string | null,
  dir: Direction,
  handedOver: boolean,
): { status: Status; note?: string; error?: string } | undefined {
  const s = (raw ?? "").trim().toLowerCase();
  // Whatever was written on an inbound row, it reached us.
  if (dir === "inbound") {
    return ["received", "receiving"].includes(s)
      ? { status: "received" }
      : { status: "received", note: `inbound ${s || "with no status"}: received` };
  }
  switch (s) {
    case "delivered":
    case "read":
      return { status: "delivered" };
    case "sent":
      return { status: "sent" };
    case "received":
      // The prototype's default status, written on its outbound rows too.
      return { status: "sent", note: "outbound received (the prototype's default): sent" };
    case "undelivered":
      return { status: "undelivered" };
    case "failed":
    case "canceled":
      return { status: "failed" };
    case "":
    case "pending":
    case "accepted":
    case "scheduled":
    case "queued":
    case "sending": {
      const shown = s || "no status";
      if (handedOver) return { status: "sent", note: `outbound ${shown}, handed over: sent` };
      return {
        status: "failed",
        note: `outbound ${shown} and no provider id: failed`,
        error: `Imported from lean_hatch as ${shown}: never handed to the provider`,
      };
    }
    default:
      return undefined;
  }
}

function clean(text: string | null): string {
  return (text ?? "").trim();
}

/** The prototype's conversation id when it stored a valid one, else what it would compute. */
function conversationOf(stored: string | null, a: string, b: string): string {
  return stored && UUID_RE.test(stored) ? stored.toLowerCase() : conversationId(a, b);
}

function common(
  r: SourceMessage | SourceEmail,
  sid: string | null,
  /** Whether the row went through a provider at all (in-app chat does not). */
  viaProvider = true,
): Mapped<Omit<Common, "provider" | "provider_response">> {
  const to = clean(r.to_contact), from = clean(r.from_contact);
  if (!to || !from) return { skip: "no sender or no recipient" };
  if (!UUID_RE.test(r.id)) return { skip: "id is not a UUID" };
  const dir = direction(r.direction, r.status);
  if (!dir) return { skip: `unknown direction "${r.direction}"` };
  const st = status(r.status, dir, !!sid || !viaProvider);
  if (!st) return { skip: `unknown ${dir} status "${r.status}"` };
  const notes: string[] = [];
  if (st.note) notes.push(st.note);
  if (r.direction && !KNOWN_DIRECTIONS.includes(r.direction)) {
    notes.push(`direction "${r.direction}" read as ${dir}`);
  }
  if (!r.direction) notes.push(`no direction: ${dir} (from the status)`);
  const created = r.ts ?? r.date_sent ?? r.date_updated;
  if (!r.ts) notes.push(created ? "no timestamp: dated by date_sent" : "no date at all: dated now");
  if (!r.conversation_id) notes.push("no conversation id: computed as the prototype does");
  return {
    row: {
      id: r.id.toLowerCase(),
      // Computed from the addresses as stored, as the prototype did (not re-normalised).
      conversation_id: conversationOf(r.conversation_id, to, from),
      direction: dir,
      participants: dir === "outbound" ? [from, to] : [to, from],
      status: st.status,
      error_code: r.error_code === null ? null : String(r.error_code),
      error_message: r.error_message ?? st.error ?? null,
      created_at: created,
      updated_at: r.date_updated ?? created,
      provider_message_id: sid,
    },
    notes,
  };
}

function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

/** Maps a prototype `messages` row (SMS, or chat when the customer is no phone number). */
export function mapMessage(r: SourceMessage): Mapped<TargetMessage> {
  const sid = clean(r.external_sid) || null;
  const phones = looksLikePhone(clean(r.to_contact)) || looksLikePhone(clean(r.from_contact));
  const base = common(r, sid, phones);
  if ("skip" in base) return base;
  const { row } = base;
  const channel = looksLikePhone(row.participants[1]) ? "sms" : "chat";
  const body = r.body ?? "";
  if (r.body === null) base.notes.push("no body: empty");
  return {
    row: {
      ...row,
      channel,
      from_contact: clean(r.from_contact),
      to_contact: clean(r.to_contact),
      body,
      provider: channel === "sms" ? "twilio" : null,
      provider_message_id: channel === "sms" ? sid : null,
      provider_response: {
        lean_hatch: defined({
          type: r.type,
          status: r.status,
          direction: r.direction,
          num_media: r.num_media,
          num_segments: r.num_segments,
          price: r.price,
          price_unit: r.price_unit,
          date_sent: r.date_sent,
          date_updated: r.date_updated,
        }),
      },
    },
    notes: base.notes,
  };
}

// cc and bcc were JSON lists in text; a plain string is kept as it is.
function addressList(text: string | null): string | null {
  if (!text?.trim()) return null;
  try {
    const list = JSON.parse(text);
    if (Array.isArray(list)) return list.map(String).join(", ") || null;
  } catch {
    // Not JSON: already a list in words.
  }
  return text.trim();
}

function jsonOrText(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Maps a prototype `emails` row into an email conversation. */
export function mapEmail(r: SourceEmail): Mapped<TargetEmail> {
  const sid = clean(r.external_message_id) || null;
  const base = common(r, sid);
  if ("skip" in base) return base;
  const attachments = jsonOrText(r.attachments);
  if (Array.isArray(attachments) && attachments.length) {
    base.notes.push("attachments kept as a list in provider_response (no content in lean_hatch)");
  }
  return {
    row: {
      ...base.row,
      from_email: clean(r.from_contact),
      to_email: clean(r.to_contact),
      subject: r.subject ?? "",
      body: r.body ?? "",
      html_content: r.html_content,
      cc: addressList(r.cc),
      bcc: addressList(r.bcc),
      reply_to: r.reply_to,
      provider: clean(r.provider) || (sid ? "sendgrid" : null),
      provider_response: {
        ...(() => {
          const v = jsonOrText(r.provider_response);
          return v && typeof v === "object" && !Array.isArray(v) ? v : defined({ raw: v });
        })(),
        lean_hatch: defined({
          status: r.status,
          direction: r.direction,
          attachments,
          date_sent: r.date_sent,
          date_updated: r.date_updated,
        }),
      },
    },
    notes: base.notes,
  };
}
