// Reads SendGrid's Inbound Parse webhook: a multipart/form-data post of the parsed email (from,
// to, cc, subject, text, html, headers, envelope, charsets, attachment-info, attachmentN files),
// or, with "POST the raw, full MIME message" set, an `email` field holding the raw message,
// which mailparser reads.
import { Buffer } from "node:buffer";
import { type EmailAddress, parseAddressHeader, simpleParser } from "mailparser";
import { type FormPart, multipartBoundary, parseMultipart } from "./form_data.ts";
import { storableDeep } from "@/lib/db/text.ts";

/** One attachment of an inbound email, its bytes still in memory. */
export interface InboundAttachment {
  filename: string;
  contentType: string;
  contentId: string | null;
  data: Uint8Array;
}

/** An inbound email in Hatch's terms; addresses are plain and lowercased. */
export interface InboundEmail {
  from: string | null;
  to: string[];
  cc: string[];
  replyTo: string | null;
  /** The SMTP envelope's recipients: where the mail really arrived (Bcc included). */
  envelopeTo: string[];
  subject: string;
  text: string;
  html: string | null;
  /** Header name (lowercased) → value, or values when the header repeats. */
  headers: Record<string, string | string[]>;
  messageId: string | null;
  inReplyTo: string | null;
  /** The References header's Message-IDs, oldest first. */
  references: string[];
  attachments: InboundAttachment[];
}

/** Why a post could not be read, in words (the route answers 400 with it). */
export class InboundParseError extends Error {
  override name = "InboundParseError";
}

function decode(bytes: Uint8Array, charset: string | undefined): string {
  try {
    return new TextDecoder(charset || "utf-8").decode(bytes);
  } catch {
    // An unknown charset label: UTF-8 is right far more often than anything else.
    return new TextDecoder().decode(bytes);
  }
}

function jsonObject(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

function flatten(list: EmailAddress[]): string[] {
  return list.flatMap((a) => a.group ? flatten(a.group) : a.address ? [a.address] : [])
    .map((a) => a.trim().toLowerCase()).filter((a) => a.includes("@"));
}

function addresses(value: string | string[] | undefined): string[] {
  if (!value || (typeof value === "string" && !value.trim())) return [];
  return [...new Set(flatten(parseAddressHeader(value).value))];
}

/** Parses a raw header block into name → value(s), unfolding continued lines. */
export function parseHeaderBlock(block: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    add(out, line.slice(0, colon), line.slice(colon + 1));
  }
  return out;
}

function add(out: Record<string, string | string[]>, name: string, value: string): void {
  const key = name.trim().toLowerCase();
  const v = value.trim();
  const had = out[key];
  out[key] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function messageIds(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(" ") : value ?? "";
  return (text.match(/<[^<>\s]+>/g) ?? []).slice(-100);
}

/** A readable text for an email that has only HTML: tags out, breaks kept, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|tr|h[1-6])\s*>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function fromHeaders(
  headers: Record<string, string | string[]>,
): Pick<InboundEmail, "messageId" | "inReplyTo" | "references"> {
  return {
    messageId: messageIds(first(headers["message-id"]))[0] ?? null,
    inReplyTo: messageIds(first(headers["in-reply-to"]))[0] ?? null,
    references: messageIds(headers["references"]),
  };
}

function readEnvelope(text: string | undefined): { to: string[]; from: string | null } {
  const envelope = jsonObject(text);
  const list = Array.isArray(envelope.to) ? envelope.to : [envelope.to];
  return {
    to: list.filter((a): a is string => typeof a === "string").map((a) => a.trim().toLowerCase()),
    from: typeof envelope.from === "string" && envelope.from.includes("@")
      ? envelope.from.trim().toLowerCase()
      : null,
  };
}

function fromParsedFields(parts: FormPart[]): InboundEmail {
  const field = (name: string) => parts.find((p) => p.name === name && p.filename === undefined);
  const plain = (name: string) => {
    const p = field(name);
    return p ? new TextDecoder().decode(p.data) : undefined;
  };
  const charsets = jsonObject(plain("charsets"));
  const text = (name: string) => {
    const p = field(name);
    const charset = charsets[name];
    return p ? decode(p.data, typeof charset === "string" ? charset : undefined) : undefined;
  };
  const headers = parseHeaderBlock(text("headers") ?? "");
  const info = jsonObject(plain("attachment-info"));
  const attachments = parts
    .filter((p) => /^attachment\d+$/.test(p.name) || p.filename !== undefined)
    .map((p): InboundAttachment => {
      const meta = (info[p.name] ?? {}) as Record<string, unknown>;
      const named = typeof meta.filename === "string" ? meta.filename : meta.name;
      return {
        filename: (typeof named === "string" && named) || p.filename || p.name,
        contentType: (typeof meta.type === "string" && meta.type) ||
          p.contentType?.split(";")[0].trim() || "application/octet-stream",
        contentId: typeof meta["content-id"] === "string" ? meta["content-id"] : null,
        data: p.data,
      };
    });
  const html = text("html") || null;
  const envelope = readEnvelope(plain("envelope"));
  return {
    // The envelope's bounce address stands in for a From nobody could read.
    from: addresses(text("from"))[0] ?? addresses(first(headers["from"]))[0] ?? envelope.from,
    to: addresses(text("to")),
    cc: addresses(text("cc")),
    replyTo: addresses(first(headers["reply-to"]))[0] ?? null,
    envelopeTo: envelope.to,
    subject: (text("subject") ?? "").trim(),
    text: text("text") || (html ? htmlToText(html) : ""),
    html,
    headers,
    ...fromHeaders(headers),
    attachments,
  };
}

async function fromRawMime(
  raw: Uint8Array,
  envelopeText: string | undefined,
): Promise<InboundEmail> {
  const mail = await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), {
    // Inline images stay attachments; HTML keeps its cid: links rather than growing data: URLs.
    keepCidLinks: true,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
  });
  const headers: Record<string, string | string[]> = {};
  for (const { line } of mail.headerLines) {
    const unfolded = line.replace(/\r?\n[ \t]+/g, " ");
    const colon = unfolded.indexOf(":");
    if (colon > 0) add(headers, unfolded.slice(0, colon), unfolded.slice(colon + 1));
  }
  const list = (v: typeof mail.to) =>
    v ? [...new Set((Array.isArray(v) ? v : [v]).flatMap((a) => flatten(a.value)))] : [];
  const html = typeof mail.html === "string" && mail.html ? mail.html : null;
  const envelope = readEnvelope(envelopeText);
  return {
    from: (mail.from ? flatten(mail.from.value)[0] : undefined) ?? envelope.from,
    to: list(mail.to),
    cc: list(mail.cc),
    replyTo: mail.replyTo ? flatten(mail.replyTo.value)[0] ?? null : null,
    envelopeTo: envelope.to,
    subject: (mail.subject ?? "").trim(),
    text: mail.text || (html ? htmlToText(html) : ""),
    html,
    headers,
    ...fromHeaders(headers),
    attachments: mail.attachments.map((a) => ({
      filename: a.filename || "attachment",
      contentType: a.contentType || "application/octet-stream",
      contentId: a.contentId ?? null,
      data: new Uint8Array(a.content.buffer, a.content.byteOffset, a.content.byteLength),
    })),
  };
}

/** Reads an Inbound Parse post (parsed fields or raw MIME); throws InboundParseError if bad. */
export async function parseInboundPost(
  body: Uint8Array,
  contentType: string | undefined,
): Promise<InboundEmail> {
  const boundary = multipartBoundary(contentType);
  if (!boundary) {
    throw new InboundParseError(
      `Expected multipart/form-data with a boundary, got "${contentType ?? "no Content-Type"}"`,
    );
  }
  const parts = parseMultipart(body, boundary);
  if (!parts) throw new InboundParseError("Malformed multipart/form-data body");
  const raw = parts.find((p) => p.name === "email");
  if (raw) {
    const envelope = parts.find((p) => p.name === "envelope");
    try {
      return storableDeep(
        await fromRawMime(raw.data, envelope && new TextDecoder().decode(envelope.data)),
      );
    } catch (e) {
      throw new InboundParseError(`Cannot read the raw email: ${(e as Error).message}`);
    }
  }
  if (!parts.some((p) => p.name === "from" || p.name === "headers")) {
    throw new InboundParseError("Not an Inbound Parse post: no from, headers or email field");
  }
  // Mail may carry NUL bytes; SendGrid does not retry a 4xx, so store them as U+FFFD instead.
  return storableDeep(fromParsedFields(parts));
}
