// The sandbox "delivers" locally, so a fresh install works with no credentials: each send is
// accepted at once and walks to `delivered` after a short, realistic delay.
import {
  type EmailProvider,
  type EmailRequest,
  ProviderError,
  type SendResult,
  type SmsProvider,
  type SmsRequest,
} from "./types.ts";

/** Options shared by the sandbox providers. */
export interface SandboxOptions {
  /** How long after the hand-over the message counts as delivered. */
  delayMs: number;
}

// Twilio's test numbers behave here as they do with Twilio's test credentials, so the failure
// paths of the inbox can be tried without an account.
const SMS_FAILURES: Record<string, { code: string; message: string; optedOut?: boolean }> = {
  "+15005550001": {
    code: "21211",
    message: "The 'To' number +15005550001 is not a valid phone number.",
  },
  "+15005550004": {
    code: "21610",
    message: "Attempt to send to unsubscribed recipient",
    optedOut: true,
  },
};

function hex(bytes: number): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/** An SMS provider that accepts every message and reports it delivered after `delayMs`. */
export class SandboxSms implements SmsProvider {
  readonly name = "sandbox";
  constructor(private readonly options: SandboxOptions) {}

  /** Accepts the message locally; Twilio's failing test numbers fail as they would there. */
  send(request: SmsRequest): Promise<SendResult> {
    const failure = SMS_FAILURES[request.to];
    if (failure) {
      const { optedOut, ...response } = failure;
      return Promise.reject(
        new ProviderError(failure.message, {
          code: failure.code,
          transient: false,
          response,
          optedOut,
        }),
      );
    }
    const sid = `SM${hex(16)}`;
    return Promise.resolve({
      providerMessageId: sid,
      status: "sent",
      response: {
        sandbox: true,
        sid,
        to: request.to,
        from: request.from,
        numMedia: request.mediaUrls?.length ?? 0,
      },
      followUps: [{ status: "delivered", afterMs: this.options.delayMs }],
    });
  }
}

/** An email provider that accepts every email and reports it delivered after `delayMs`. */
export class SandboxEmail implements EmailProvider {
  readonly name = "sandbox";
  constructor(private readonly options: SandboxOptions) {}

  /** Accepts the email locally. */
  send(request: EmailRequest): Promise<SendResult> {
    const id = `sandbox-${crypto.randomUUID()}`;
    return Promise.resolve({
      providerMessageId: id,
      status: "sent",
      response: {
        sandbox: true,
        id,
        to: request.to,
        messageId: request.messageIdHeader,
        attachments: request.attachments?.length ?? 0,
      },
      followUps: [{ status: "delivered", afterMs: this.options.delayMs }],
    });
  }
}
