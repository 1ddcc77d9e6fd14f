// Sends email through SendGrid's v3 Mail Send API with the official SDK, and turns its failures
// into ProviderErrors the delivery queue can act on (retry the transient ones, fail the rest).
import { type MailDataRequired, MailService } from "@sendgrid/mail";
import { Client } from "@sendgrid/client";
import { type EmailProvider, type EmailRequest, ProviderError, type SendResult } from "./types.ts";
import { isNetworkCode } from "./network.ts";

/** How to reach SendGrid. */
export interface SendgridEmailOptions {
  apiKey: string;
  /** Sends the SDK's requests here instead of https://api.sendgrid.com (a fake, or a proxy). */
  apiBaseUrl?: string;
  /** Gives up on a request after this long; defaults to 15 s. */
  timeoutMs?: number;
}

type NonEmptyContent = Extract<MailDataRequired, { content: unknown }>["content"];

interface SendgridErrorItem {
  message?: unknown;
  field?: unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

function errorList(body: unknown): SendgridErrorItem[] {
  if (typeof body === "string") {
    try {
      body = JSON.parse(body);
    } catch {
      return [];
    }
  }
  return isRecord(body) && Array.isArray(body.errors) ? body.errors.filter(isRecord) : [];
}

function describe(items: SendgridErrorItem[]): string {
  return items.map((e) => {
    const text = String(e.message ?? "").trim().replace(/\.$/, "");
    return typeof e.field === "string" && e.field ? `${text} (${e.field})` : text;
  }).filter(Boolean).join("; ");
}

/** Turns whatever the SDK threw into a ProviderError, without secrets in it. */
export function sendgridError(error: unknown): ProviderError {
  // The SDK's ResponseError: `code` is the HTTP status, `response.body` SendGrid's answer.
  if (
    isRecord(error) && typeof error.code === "number" && isRecord(error.response) &&
    "body" in error.response
  ) {
    const status = error.code;
    const items = errorList(error.response.body);
    const detail = describe(items);
    const transient = status === 408 || status === 429 || status >= 500;
    const lead = status === 401 || status === 403
      ? "SendGrid rejected the API key"
      : transient
      ? `SendGrid is unavailable (HTTP ${status})`
      : `SendGrid refused the email (HTTP ${status})`;
    return new ProviderError(detail ? `${lead}: ${detail}` : lead, {
      code: String(status),
      transient,
      response: { status, errors: items },
    });
  }
  const code = isRecord(error) && typeof error.code === "string" ? error.code : undefined;
  if (isNetworkCode(code) || (isRecord(error) && error.isAxiosError === true)) {
    // Only the code: the axios error also carries the request config, Authorization included.
    return new ProviderError(`Cannot reach SendGrid: ${code ?? "network error"}`, {
      code: "network",
      transient: true,
      response: { error: code ?? "network" },
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(`SendGrid request failed: ${message}`, {
    code: "invalid_request",
    transient: false,
    response: { error: message },
  });
}

// SendGrid refuses a personalization that names one address twice across to, cc and bcc,
// and a person who is in both To and Cc wants the email once anyway.
function uniqueRecipients(request: EmailRequest): { to: string[]; cc: string[]; bcc: string[] } {
  const seen = new Set<string>();
  const keep = (list: string[]) =>
    list.filter((address) => {
      const key = (address.match(/<([^>]+)>/)?.[1] ?? address).trim().toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return { to: keep(request.to), cc: keep(request.cc), bcc: keep(request.bcc) };
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!isRecord(headers)) return undefined;
  const get = headers.get;
  const value = typeof get === "function" ? get.call(headers, name) : headers[name];
  return typeof value === "string" && value ? value : undefined;
}

/** Builds the SDK's mail data for a request (exported for tests). */
export function sendgridMailData(request: EmailRequest): MailDataRequired {
  const headers: Record<string, string> = { "Message-ID": request.messageIdHeader };
  if (request.inReplyTo) headers["In-Reply-To"] = request.inReplyTo;
  if (request.references?.length) headers["References"] = request.references.join(" ");
  const { to, cc, bcc } = uniqueRecipients(request);
  // SendGrid rejects empty content blocks, so an empty part is left out rather than sent blank.
  const content = [
    ...(request.text ? [{ type: "text/plain", value: request.text }] : []),
    ...(request.html ? [{ type: "text/html", value: request.html }] : []),
  ];
  return {
    from: request.from,
    to,
    ...(cc.length ? { cc } : {}),
    ...(bcc.length ? { bcc } : {}),
    ...(request.replyTo ? { replyTo: request.replyTo } : {}),
    subject: request.subject,
    // Typed as non-empty by the SDK; an empty list reaches SendGrid, which says what is wrong.
    content: content as NonEmptyContent,
    headers,
    customArgs: { email_id: request.emailId },
    ...(request.attachments?.length
      ? {
        attachments: request.attachments.map((a) => ({
          content: a.contentBase64,
          filename: a.filename,
          type: a.contentType,
          disposition: "attachment",
        })),
      }
      : {}),
  };
}

/** Sends email through SendGrid. */
export class SendgridEmail implements EmailProvider {
  readonly name = "sendgrid";
  readonly #mail: MailService;

  constructor(options: SendgridEmailOptions) {
    // An own client, not the SDK's shared singleton, so settings never leak between instances.
    const client = new Client();
    client.setApiKey(options.apiKey);
    // After setApiKey, which resets the base URL to SendGrid's region host.
    if (options.apiBaseUrl) client.setDefaultRequest("baseUrl", options.apiBaseUrl);
    this.#mail = new MailService();
    this.#mail.setClient(client);
    this.#mail.setTimeout(options.timeoutMs ?? 15_000);
  }

  /** Hands the email to SendGrid; throws a ProviderError when SendGrid refuses it. */
  async send(request: EmailRequest): Promise<SendResult> {
    let headers: unknown;
    let statusCode: number;
    try {
      const [response] = await this.#mail.send(sendgridMailData(request));
      headers = response.headers;
      statusCode = response.statusCode;
    } catch (error) {
      throw sendgridError(error);
    }
    const messageId = headerValue(headers, "x-message-id");
    return {
      // SendGrid's event ids are `<x-message-id>.<suffix>`; fall back to our id if it is absent.
      providerMessageId: messageId ?? request.emailId,
      status: "sent",
      response: { statusCode, messageId: messageId ?? null },
    };
  }
}
