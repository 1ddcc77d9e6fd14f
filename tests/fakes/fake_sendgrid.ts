// A fake SendGrid v3 Mail Send API on loopback: Bearer auth, SendGrid's request validation and
// its `{errors: [{message, field, help}]}` answers, 202 with X-Message-Id on success. The
// validation itself is in sendgrid_mail_validation.ts.
import { errorItem, type SendgridErrorItem, validateMailSend } from "./sendgrid_mail_validation.ts";

/** One request the fake received, kept for assertions. */
export interface SendgridRequestRecord {
  method: string;
  path: string;
  /** Header names lowercased. */
  headers: Record<string, string>;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  rawBody: string;
}

/** An error the fake should answer with, in SendGrid's terms. */
export interface SendgridFailure {
  status: number;
  /** Defaults by status ("too many requests", "internal error"...). */
  errors?: SendgridErrorItem[];
  /** Answer this text instead of SendGrid's JSON. */
  rawBody?: string;
  delayMs?: number;
}

/** A mail the fake accepted. */
export interface SendgridAccepted {
  messageId: string;
  body: Record<string, unknown>;
  /** When it arrived (Date.now()). */
  at: number;
}

/** A running fake SendGrid. */
export interface FakeSendgrid {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  apiKey: string;
  requests: SendgridRequestRecord[];
  accepted: SendgridAccepted[];
  /** Answers the next mail send with this failure (queued, first in first out). */
  failNext(failure: SendgridFailure): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 30 * 1024 * 1024;

const DEFAULT_ERRORS: Record<number, string> = {
  401: "The provided authorization grant is invalid, expired, or revoked",
  403: "access forbidden",
  404: "not found",
  413: "payload too large",
  429: "too many requests",
  500: "internal error",
  503: "service unavailable",
};

function messageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

async function answerFailure(failure: SendgridFailure): Promise<Response> {
  if (failure.delayMs) await new Promise((r) => setTimeout(r, failure.delayMs));
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (failure.status === 429) {
    Object.assign(headers, {
      "x-ratelimit-limit": "600",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 60),
    });
  }
  if (failure.rawBody !== undefined) {
    return new Response(failure.rawBody, {
      status: failure.status,
      headers: { "content-type": "text/html" },
    });
  }
  const errors = failure.errors ??
    [errorItem(DEFAULT_ERRORS[failure.status] ?? "error", null)];
  return new Response(JSON.stringify({ errors }), { status: failure.status, headers });
}

/** Starts a fake SendGrid v3 API on 127.0.0.1 (a free port); close it when done. */
export function startFakeSendgrid(options: { apiKey?: string } = {}): FakeSendgrid {
  const apiKey = options.apiKey ?? `SG.${messageId()}.${messageId()}`;
  const requests: SendgridRequestRecord[] = [];
  const accepted: SendgridAccepted[] = [];
  const queued: SendgridFailure[] = [];

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const rawBody = await req.text();
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    requests.push({
      method: req.method,
      path: url.pathname + url.search,
      headers: Object.fromEntries(req.headers),
      body,
      rawBody,
    });
    if (req.headers.get("authorization") !== `Bearer ${apiKey}`) {
      return answerFailure({ status: 401 });
    }
    if (url.pathname !== "/v3/mail/send") return answerFailure({ status: 404 });
    if (req.method !== "POST") {
      return answerFailure({ status: 405, errors: [errorItem("method not allowed", null)] });
    }
    if (new TextEncoder().encode(rawBody).length > MAX_BODY_BYTES) {
      return answerFailure({ status: 413 });
    }
    const scripted = queued.shift();
    if (scripted) return answerFailure(scripted);
    if (body === undefined) {
      return answerFailure({ status: 400, errors: [errorItem("Bad Request", null)] });
    }
    const errors = validateMailSend(body);
    if (errors.length) return answerFailure({ status: 400, errors });
    const id = messageId();
    accepted.push({ messageId: id, body: body as Record<string, unknown>, at: Date.now() });
    return new Response(null, { status: 202, headers: { "x-message-id": id } });
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => handle(req),
  );

  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    apiKey,
    requests,
    accepted,
    failNext(failure) {
      queued.push(failure);
    },
    async close() {
      await server.shutdown();
    },
  };
}
