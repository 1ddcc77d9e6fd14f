// The one small interface per channel that every provider implements. Only lib/providers/
// calls out to the world.

/** A later status the provider promises (the sandbox's walk to `delivered`). */
export interface FollowUp {
  status: "delivered" | "undelivered" | "failed";
  afterMs: number;
}

/** What a successful hand-over to the provider returns. */
export interface SendResult {
  providerMessageId: string;
  /** The status right after the hand-over, usually `sent` (or `queued` at Twilio). */
  status: "queued" | "sending" | "sent" | "delivered";
  /** The provider's answer, stored with the message (no secrets in it). */
  response: unknown;
  followUps?: FollowUp[];
}

/**
 * A failed hand-over: `transient` ones are retried with backoff, others are final. `optedOut`
 * says the provider refused because the recipient unsubscribed from the sender.
 */
export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    message: string,
    readonly options: { code: string; transient: boolean; response?: unknown; optedOut?: boolean },
  ) {
    super(message);
  }
  get code(): string {
    return this.options.code;
  }
  get transient(): boolean {
    return this.options.transient;
  }
  get optedOut(): boolean {
    return this.options.optedOut ?? false;
  }
}

/** An SMS/MMS to hand over. */
export interface SmsRequest {
  messageId: string;
  from: string;
  to: string;
  body: string;
  mediaUrls?: string[];
  /** Where the provider should post status callbacks, when it supports them. */
  statusCallback?: string;
}

/** What the provider knows now about a message it accepted (for reconciliation). */
export interface ProviderStatus {
  /** Hatch's status for what the provider says; undefined while it is before the hand-over. */
  status: string | undefined;
  errorCode: string | null;
  errorMessage: string | null;
  /** Whether the provider says the recipient unsubscribed from the sender. */
  optedOut: boolean;
}

/** Sends SMS through one provider. */
export interface SmsProvider {
  readonly name: string;
  send(request: SmsRequest): Promise<SendResult>;
  /** Asks the provider for a message's current status, when it can be asked. */
  fetchStatus?(providerMessageId: string): Promise<ProviderStatus>;
}

/** An inbound SMS as the provider (or the sandbox simulator) reports it. */
export interface InboundSms {
  from: string;
  to: string;
  body: string;
  provider: string;
  providerMessageId: string;
  media?: { url: string; content_type: string | null }[];
}

/** An email to hand over. */
export interface EmailRequest {
  emailId: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** Our Message-ID header, so replies thread back to this email. */
  messageIdHeader: string;
  inReplyTo?: string;
  references?: string[];
  attachments?: { filename: string; contentType: string; contentBase64: string }[];
}

/** Sends email through one provider. */
export interface EmailProvider {
  readonly name: string;
  send(request: EmailRequest): Promise<SendResult>;
}
