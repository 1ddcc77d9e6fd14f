// Sends SMS/MMS through Twilio's Messages API with the official SDK, and turns its failures into
// ProviderErrors the delivery queue can act on (retry the transient ones, fail the rest).
import twilio from "twilio";
import {
  ProviderError,
  type ProviderStatus,
  type SendResult,
  type SmsProvider,
  type SmsRequest,
} from "./types.ts";
import { isNetworkCode } from "./network.ts";
import { hatchStatusOf, TWILIO_UNSUBSCRIBED } from "./twilio_webhooks.ts";

/** How to reach Twilio. */
export interface TwilioSmsOptions {
  accountSid: string;
  authToken: string;
  /** When set, messages go out through this Messaging Service, which picks the sender. */
  messagingServiceSid?: string;
  /** Sends the SDK's requests here instead of https://api.twilio.com (a fake, or a proxy). */
  apiBaseUrl?: string;
  /** Gives up on a request after this long; defaults to 15 s. */
  timeoutMs?: number;
}

// The SDK has no base URL setting (Twilio's maintainers suggest a custom HTTP client that
// rewrites URLs, twilio/twilio-node#326). An interceptor on the client's own axios instance does
// that with the least code: only the origin changes, path and query stay.
function rebase(client: twilio.RequestClient, base: string): void {
  const root = new URL(base.endsWith("/") ? base : `${base}/`);
  client.axios.interceptors.request.use((config) => {
    if (config.url) {
      const original = new URL(config.url);
      config.url = new URL(original.pathname.replace(/^\//, "") + original.search, root).href;
    }
    return config;
  });
}

// Twilio error codes that clear up by themselves, whatever the HTTP status says.
const TRANSIENT_CODES = new Set([
  20429, // too many requests
  20500, // internal error
  20503, // service unavailable
  21611, // the sender's queue is full
]);

/** Maps a status Twilio answers at hand-over to ours (Messaging Services answer `accepted`). */
export function mapTwilioStatus(status: string): SendResult["status"] {
  switch (status) {
    case "sending":
      return "sending";
    case "sent":
      return "sent";
    case "delivered":
      return "delivered";
    default: // accepted, scheduled, queued
      return "queued";
  }
}

/** Turns whatever the SDK threw into a ProviderError, without secrets in it. */
export function twilioError(error: unknown): ProviderError {
  if (error instanceof twilio.RestException) {
    const status = error.status;
    const body = {
      status,
      code: error.code ?? null,
      message: error.message,
      more_info: error.moreInfo ?? null,
    };
    const transient = status === 408 || status === 429 || status >= 500 ||
      (error.code !== undefined && TRANSIENT_CODES.has(error.code));
    const message = error.code === 20003
      ? "Twilio rejected the account SID or auth token"
      : error.message || `Twilio answered HTTP ${status}`;
    return new ProviderError(message, {
      code: error.code !== undefined ? String(error.code) : `http_${status}`,
      transient,
      response: body,
      optedOut: String(error.code) === TWILIO_UNSUBSCRIBED,
    });
  }
  const code = typeof error === "object" && error !== null && "code" in error
    ? String((error as { code: unknown }).code)
    : undefined;
  const isAxios = typeof error === "object" && error !== null &&
    (error as { isAxiosError?: unknown }).isAxiosError === true;
  if (isNetworkCode(code) || isAxios) {
    // Only the code: the axios error also carries the request config, Authorization included.
    return new ProviderError(`Cannot reach Twilio: ${code ?? "network error"}`, {
      code: "network",
      transient: true,
      response: { error: code ?? "network" },
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(`Twilio request failed: ${message}`, {
    code: "invalid_request",
    transient: false,
    response: { error: message },
  });
}

/** Sends SMS and MMS through Twilio. */
export class TwilioSms implements SmsProvider {
  readonly name = "twilio";
  readonly #client: twilio.Twilio;
  readonly #messagingServiceSid?: string;

  constructor(options: TwilioSmsOptions) {
    // No auto-retry: the delivery queue retries with its own backoff and bookkeeping.
    const clientOptions = { timeout: options.timeoutMs ?? 15_000, autoRetry: false };
    const httpClient = new twilio.RequestClient(clientOptions);
    if (options.apiBaseUrl) rebase(httpClient, options.apiBaseUrl);
    this.#client = twilio(options.accountSid, options.authToken, { httpClient, autoRetry: false });
    this.#messagingServiceSid = options.messagingServiceSid || undefined;
    // The SDK loads its Messages API on first use (~260 ms): loaded now, at start, the first
    // text does not leave that late after its paced slot (and bunch up with the next ones).
    void this.#client.messages;
  }

  /** Hands the message to Twilio; throws a ProviderError when Twilio refuses it. */
  async send(request: SmsRequest): Promise<SendResult> {
    let message: Awaited<ReturnType<twilio.Twilio["messages"]["create"]>>;
    try {
      message = await this.#client.messages.create({
        to: request.to,
        ...(this.#messagingServiceSid
          ? { messagingServiceSid: this.#messagingServiceSid }
          : { from: request.from }),
        ...(request.body ? { body: request.body } : {}),
        ...(request.mediaUrls?.length ? { mediaUrl: request.mediaUrls } : {}),
        ...(request.statusCallback ? { statusCallback: request.statusCallback } : {}),
      });
    } catch (error) {
      throw twilioError(error);
    }
    // Twilio has the message from here on: nothing below may throw and make it look unsent.
    const created = message.dateCreated;
    return {
      providerMessageId: message.sid,
      status: mapTwilioStatus(String(message.status)),
      response: {
        sid: message.sid,
        status: message.status,
        to: message.to,
        from: message.from,
        messagingServiceSid: message.messagingServiceSid,
        numSegments: message.numSegments,
        numMedia: message.numMedia,
        dateCreated: created instanceof Date && !isNaN(created.getTime())
          ? created.toISOString()
          : null,
      },
    };
  }

  /** Fetches the message from Twilio: its status and error, for messages whose callback never came. */
  async fetchStatus(providerMessageId: string): Promise<ProviderStatus> {
    try {
      const m = await this.#client.messages(providerMessageId).fetch();
      const errorCode = m.errorCode ? String(m.errorCode) : null;
      return {
        status: hatchStatusOf(String(m.status)),
        errorCode,
        errorMessage: m.errorMessage ?? null,
        optedOut: errorCode === TWILIO_UNSUBSCRIBED,
      };
    } catch (error) {
      throw twilioError(error);
    }
  }
}
