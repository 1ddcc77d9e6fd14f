// Sends email to any SMTP server with nodemailer, and turns its failures into ProviderErrors the
// delivery queue can act on: SMTP's own 4xx/5xx split says what is worth retrying.
import nodemailer from "nodemailer";
import { type EmailProvider, type EmailRequest, ProviderError, type SendResult } from "./types.ts";
import { isNetworkCode } from "./network.ts";

/** How to reach the SMTP server. */
export interface SmtpEmailOptions {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465. */
  url: string;
  /** Gives up on connecting, the greeting, or a silent socket after this long; defaults to 15 s. */
  timeoutMs?: number;
}

// nodemailer ships no types; this is the part of its API used here.
interface SentInfo {
  messageId: string;
  response: string;
  accepted: unknown[];
  rejected: unknown[];
}
interface Transport {
  sendMail(mail: Record<string, unknown>): Promise<SentInfo>;
  close(): void;
}
const createTransport = (nodemailer as { createTransport: unknown }).createTransport as (
  options: Record<string, unknown>,
) => Transport;

function field(error: unknown, name: string): unknown {
  return typeof error === "object" && error !== null
    ? (error as Record<string, unknown>)[name]
    : undefined;
}

function addresses(list: unknown[]): string[] {
  return list.map((a) => typeof a === "string" ? a : String(field(a, "address") ?? a));
}

/** Turns whatever nodemailer threw into a ProviderError, without secrets in it. */
export function smtpError(error: unknown): ProviderError {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof field(error, "code") === "string" ? String(field(error, "code")) : undefined;
  const responseCode = field(error, "responseCode");
  const response = {
    code: code ?? null,
    responseCode: typeof responseCode === "number" ? responseCode : null,
    command: field(error, "command") ?? null,
    response: field(error, "response") ?? null,
    rejected: Array.isArray(field(error, "rejected"))
      ? addresses(field(error, "rejected") as unknown[])
      : undefined,
  };
  if (typeof responseCode === "number") {
    // SMTP's rule: 4xx is a temporary condition worth retrying, 5xx a final answer.
    const transient = responseCode < 500;
    return new ProviderError(
      `${
        transient ? "The SMTP server deferred the email" : "The SMTP server refused the email"
      }: ${message}`,
      { code: String(responseCode), transient, response },
    );
  }
  if (isNetworkCode(code)) {
    return new ProviderError(`Cannot reach the SMTP server: ${message}`, {
      code: "network",
      transient: true,
      response,
    });
  }
  return new ProviderError(`SMTP sending failed: ${message}`, {
    code: code ?? "invalid_request",
    transient: false,
    response,
  });
}

/** Sends email through an SMTP server. */
export class SmtpEmail implements EmailProvider {
  readonly name = "smtp";
  readonly #transport: Transport;

  constructor(options: SmtpEmailOptions) {
    const timeout = options.timeoutMs ?? 15_000;
    this.#transport = createTransport({
      url: options.url,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  /** Hands the email to the SMTP server; throws a ProviderError when it is refused. */
  async send(request: EmailRequest): Promise<SendResult> {
    try {
      const info = await this.#transport.sendMail({
        from: request.from,
        to: request.to,
        cc: request.cc,
        bcc: request.bcc,
        replyTo: request.replyTo,
        subject: request.subject,
        text: request.text || undefined,
        html: request.html || undefined,
        messageId: request.messageIdHeader,
        inReplyTo: request.inReplyTo,
        references: request.references,
        headers: { "X-Hatch-Email-Id": request.emailId },
        attachments: request.attachments?.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.contentBase64,
          encoding: "base64",
        })),
      });
      return {
        // SMTP has no id of its own that later events quote; the Message-ID is what bounces cite.
        providerMessageId: info.messageId,
        status: "sent",
        response: {
          messageId: info.messageId,
          response: info.response,
          accepted: addresses(info.accepted),
          rejected: addresses(info.rejected),
        },
      };
    } catch (error) {
      throw smtpError(error);
    }
  }

  /** Closes pooled connections. */
  close(): void {
    this.#transport.close();
  }
}
