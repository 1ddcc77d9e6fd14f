// A fake Twilio REST API on loopback, faithful enough to the Messages endpoint that the real
// `twilio` SDK can be pointed at it: the same auth, form fields, validation errors, JSON shapes.
import twilio from "twilio";

/** One request the fake received, kept for assertions. */
export interface TwilioRequestRecord {
  method: string;
  path: string;
  /** Header names lowercased. */
  headers: Record<string, string>;
  /** The form body; repeated fields (MediaUrl) keep every value, in order. */
  form: URLSearchParams;
  rawBody: string;
  /** When the request arrived (Date.now()), for tests of pacing and scheduled sends. */
  at: number;
}

/** An error the fake should answer with, in Twilio's terms. */
export interface TwilioFailure {
  status: number;
  /** Twilio's numeric error code; defaults by status (20429, 20500, 20503...). */
  code?: number;
  message?: string;
  /** Answer this text instead of Twilio's JSON (a proxy's HTML error page, say). */
  rawBody?: string;
  /** Wait this long before answering (to trip the client's timeout). */
  delayMs?: number;
}

/** A message the fake accepted. */
export interface TwilioMessageResource {
  sid: string;
  account_sid: string;
  api_version: string;
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: string;
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  status: string;
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

/** Options for the fake server. */
export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  /** Extra magic To numbers mapped to the error they produce (merged over Twilio's own). */
  magicNumbers?: Record<string, TwilioFailure>;
}

/** A running fake Twilio. */
export interface FakeTwilio {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  accountSid: string;
  authToken: string;
  requests: TwilioRequestRecord[];
  messages: Map<string, TwilioMessageResource>;
  /** Answers the next Messages request with this failure (queued, first in first out). */
  failNext(failure: TwilioFailure): void;
  /** Makes every message to `to` fail this way. */
  failFor(to: string, failure: TwilioFailure): void;
  /** Lets messages to `to` through again after `failFor`. */
  clearFailureFor(to: string): void;
  /** Posts a signed status callback for a message to the StatusCallback it was sent with. */
  deliver(sid: string, status?: string, extra?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  20003: "Authenticate",
  20404: "The requested resource was not found",
  20429: "Too Many Requests",
  20500: "An internal server error has occurred",
  20503: "Service is unavailable. Please try again",
};

// Twilio's own test numbers (https://www.twilio.com/docs/iam/test-credentials), so the fake
// answers them as the real API does with test credentials.
const TO_MAGIC: Record<string, TwilioFailure> = {
  "+15005550001": {
    status: 400,
    code: 21211,
    message: "The 'To' number +15005550001 is not a valid phone number.",
  },
  "+15005550002": {
    status: 400,
    code: 21612,
    message: "The 'To' phone number is not currently reachable via SMS.",
  },
  "+15005550003": {
    status: 400,
    code: 21408,
    message:
      "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +15005550003.",
  },
  "+15005550004": {
    status: 400,
    code: 21610,
    message: "Attempt to send to unsubscribed recipient",
  },
  "+15005550009": { status: 400, code: 21614, message: "'To' number is not a valid mobile number" },
};
const FROM_MAGIC: Record<string, TwilioFailure> = {
  "+15005550001": {
    status: 400,
    code: 21212,
    message:
      "The 'From' number +15005550001 is not a valid phone number, shortcode, or alphanumeric sender ID.",
  },
  "+15005550007": {
    status: 400,
    code: 21606,
    message:
      "The 'From' phone number provided is not a valid, message-capable Twilio phone number for this destination.",
  },
  "+15005550008": {
    status: 400,
    code: 21611,
    message: "This 'From' number has exceeded the maximum number of queued messages",
  },
};

const E164 = /^\+[1-9]\d{6,14}$/;
// The GSM 03.38 basic set; anything outside it (and outside the extension table) forces UCS-2.
const GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";

/** How many SMS segments Twilio would bill a body as (GSM-7 or UCS-2, with concatenation headers). */
export function segmentCount(body: string): number {
  let septets = 0;
  let gsm = true;
  for (const ch of body) {
    if (GSM_BASIC.includes(ch)) septets += 1;
    else if (GSM_EXTENDED.includes(ch)) septets += 2;
    else gsm = false;
  }
  if (gsm) return septets <= 160 ? 1 : Math.ceil(septets / 153);
  const units = body.length; // UTF-16 code units, which is what UCS-2 counts
  return units <= 70 ? 1 : Math.ceil(units / 67);
}

function hex(bytes: number): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

function rfc2822(date: Date): string {
  return date.toUTCString().replace("GMT", "+0000");
}

function errorBody(
  failure: TwilioFailure,
): { code: number; message: string; more_info: string; status: number } {
  const code = failure.code ??
    (failure.status === 429
      ? 20429
      : failure.status === 503
      ? 20503
      : failure.status >= 500
      ? 20500
      : 20001);
  return {
    code,
    message: failure.message ?? DEFAULT_MESSAGES[code] ?? "Bad request",
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status: failure.status,
  };
}

// Delayed answers end early when the fake closes, so a hung request never holds up teardown.
const closing = new Set<() => void>();

async function answerFailure(failure: TwilioFailure): Promise<Response> {
  if (failure.delayMs) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, failure.delayMs);
      function done() {
        clearTimeout(timer);
        closing.delete(done);
        resolve();
      }
      closing.add(done);
    });
  }
  if (failure.rawBody !== undefined) {
    return new Response(failure.rawBody, {
      status: failure.status,
      headers: { "content-type": "text/html" },
    });
  }
  return Response.json(errorBody(failure), { status: failure.status });
}

function isHttpUrl(value: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

// Twilio validates in roughly this order and answers the first problem only.
function validate(form: URLSearchParams): TwilioFailure | undefined {
  const to = form.get("To");
  const from = form.get("From");
  const service = form.get("MessagingServiceSid");
  const body = form.get("Body") ?? "";
  const media = form.getAll("MediaUrl");
  const bad = (code: number, message: string): TwilioFailure => ({ status: 400, code, message });
  if (!to) return bad(21604, "A 'To' phone number is required.");
  if (!from && !service) return bad(21603, "A 'From' phone number is required.");
  if (!E164.test(to)) return bad(21211, `The 'To' number ${to} is not a valid phone number.`);
  if (from && !E164.test(from) && !/^[A-Za-z0-9 ]{1,11}$/.test(from)) {
    return bad(
      21212,
      `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
    );
  }
  if (service && !/^MG[0-9a-f]{32}$/.test(service)) {
    return bad(21701, `The Messaging Service Sid ${service} is invalid.`);
  }
  if (from && from === to) return bad(21266, "'To' and 'From' number cannot be the same");
  if (!body && media.length === 0) return bad(21602, "Message body is required.");
  if (body.length > 1600) {
    return bad(21617, "The concatenated message body exceeds the 1600 character limit.");
  }
  if (media.length > 10) return bad(21623, "Number of media files exceeds allowed limit");
  if (media.some((m) => !isHttpUrl(m))) return bad(21620, "Invalid media URL(s)");
  const callback = form.get("StatusCallback");
  if (callback !== null && !isHttpUrl(callback)) return bad(21609, "Invalid StatusCallback url");
  return undefined;
}

/** Starts a fake Twilio REST API on 127.0.0.1 (a free port); close it when done. */
export function startFakeTwilio(options: FakeTwilioOptions = {}): FakeTwilio {
  const accountSid = options.accountSid ?? `AC${hex(16)}`;
  const authToken = options.authToken ?? hex(16);
  const requests: TwilioRequestRecord[] = [];
  const messages = new Map<string, TwilioMessageResource>();
  const callbacks = new Map<string, string>();
  const queued: TwilioFailure[] = [];
  const byTo = new Map<string, TwilioFailure>(
    Object.entries({ ...TO_MAGIC, ...options.magicNumbers }),
  );
  const expectedAuth = `Basic ${btoa(`${accountSid}:${authToken}`)}`;
  const messagesPath = new RegExp("^/2010-04-01/Accounts/([^/]+)/Messages\\.json$");

  async function handle(req: Request): Promise<Response> {
    const at = Date.now();
    const url = new URL(req.url);
    const rawBody = await req.text();
    const form = new URLSearchParams(rawBody);
    requests.push({
      at,
      method: req.method,
      path: url.pathname + url.search,
      headers: Object.fromEntries(req.headers),
      form,
      rawBody,
    });
    if (req.headers.get("authorization") !== expectedAuth) {
      return Response.json({
        ...errorBody({ status: 401, code: 20003 }),
        detail: "Your AccountSid or AuthToken was incorrect.",
      }, { status: 401 });
    }
    // GET …/Messages/{Sid}.json: the message as Twilio knows it now (reconciliation).
    const one = url.pathname.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/);
    if (one && req.method === "GET" && one[1] === accountSid) {
      const found = messages.get(one[2]);
      return found ? Response.json(found) : answerFailure({
        status: 404,
        code: 20404,
        message: `The requested resource ${url.pathname} was not found`,
      });
    }
    const match = url.pathname.match(messagesPath);
    if (!match || match[1] !== accountSid) {
      return answerFailure({
        status: 404,
        code: 20404,
        message: `The requested resource ${url.pathname} was not found`,
      });
    }
    if (req.method !== "POST") {
      return answerFailure({ status: 405, code: 20004, message: "Method not allowed" });
    }
    if (!req.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded")) {
      return answerFailure({ status: 400, code: 20001, message: "Unsupported content type" });
    }
    const scripted = queued.shift();
    if (scripted) return answerFailure(scripted);
    const invalid = validate(form);
    if (invalid) return answerFailure(invalid);
    const to = form.get("To")!;
    const from = form.get("From");
    const magic = byTo.get(to) ?? (from ? FROM_MAGIC[from] : undefined);
    if (magic) return answerFailure(magic);

    const sid = `SM${hex(16)}`;
    const now = rfc2822(new Date());
    const base = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
    const body = form.get("Body") ?? "";
    const service = form.get("MessagingServiceSid");
    const message: TwilioMessageResource = {
      sid,
      account_sid: accountSid,
      api_version: "2010-04-01",
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      // With a Messaging Service the sender is picked later, so Twilio answers from: null.
      from: service && !from ? null : from,
      messaging_service_sid: service,
      num_media: String(form.getAll("MediaUrl").length),
      num_segments: String(segmentCount(body)),
      price: null,
      price_unit: "USD",
      status: service && !from ? "accepted" : "queued",
      subresource_uris: { media: `${base}/Media.json` },
      to,
      uri: `${base}.json`,
    };
    messages.set(sid, message);
    const callback = form.get("StatusCallback");
    if (callback) callbacks.set(sid, callback);
    return Response.json(message, { status: 201 });
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => handle(req),
  );

  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    accountSid,
    authToken,
    requests,
    messages,
    failNext(failure) {
      queued.push(failure);
    },
    failFor(to, failure) {
      byTo.set(to, failure);
    },
    clearFailureFor(to) {
      byTo.delete(to);
    },
    async deliver(sid, status = "delivered", extra = {}) {
      const message = messages.get(sid);
      const callback = callbacks.get(sid);
      if (!message || !callback) throw new Error(`No message "${sid}" with a StatusCallback`);
      message.status = status;
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: "2010-04-01",
        From: message.from ?? "",
        MessageSid: sid,
        MessageStatus: status,
        SmsSid: sid,
        SmsStatus: status,
        To: message.to,
        ...extra,
      };
      const signature = twilio.getExpectedTwilioSignature(authToken, callback, params);
      return await fetch(callback, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": signature,
          "user-agent": "TwilioProxy/1.1",
        },
        body: new URLSearchParams(params),
      });
    },
    async close() {
      for (const wake of [...closing]) wake();
      await server.shutdown();
    },
  };
}
