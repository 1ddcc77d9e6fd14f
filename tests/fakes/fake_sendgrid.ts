// A fake SendGrid v3 Mail Send API on loopback: Bearer auth, SendGrid's request validation and
// its `{errors: [{message, field, help}]}` answers, 202 with X-Message-Id on success.

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

/** One entry of SendGrid's error list. */
export interface SendgridErrorItem {
  message: string;
  field: string | null;
  help: string | null;
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

const HELP = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message";
const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;
// SendGrid refuses to let these be set through `headers`.
const RESERVED_HEADERS = [
  "x-sg-id",
  "x-sg-eid",
  "received",
  "dkim-signature",
  "content-type",
  "content-transfer-encoding",
  "to",
  "from",
  "subject",
  "reply-to",
  "cc",
  "bcc",
];
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

function item(message: string, field: string | null, anchor?: string): SendgridErrorItem {
  return { message, field, help: anchor ? `${HELP}.${anchor}` : null };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function checkAddress(v: unknown, field: string, errors: SendgridErrorItem[]): string | undefined {
  if (!isObject(v) || typeof v.email !== "string") {
    errors.push(item("The email parameter is required.", `${field}.email`));
    return undefined;
  }
  if (!EMAIL.test(v.email)) {
    errors.push(item("Does not contain a valid address.", `${field}.email`));
    return undefined;
  }
  return v.email.toLowerCase();
}

function checkStringMap(v: unknown, field: string, errors: SendgridErrorItem[]): void {
  if (v === undefined) return;
  if (!isObject(v)) {
    errors.push(item(`Invalid type. Expected: object, given: ${typeName(v)}.`, field));
    return;
  }
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== "string") {
      errors.push(
        item(`Invalid type. Expected: string, given: ${typeName(value)}.`, `${field}.${k}`),
      );
    }
    if (field.endsWith("headers") && RESERVED_HEADERS.includes(k.toLowerCase())) {
      errors.push(item(`The header ${k} is reserved and cannot be set`, field, "message.headers"));
    }
  }
}

function checkPersonalizations(
  body: Record<string, unknown>,
  errors: SendgridErrorItem[],
): boolean {
  const list = body.personalizations;
  if (!Array.isArray(list) || list.length === 0) {
    errors.push(item(
      "The personalizations field is required and must have at least one personalization.",
      "personalizations",
      "message.personalizations",
    ));
    return false;
  }
  if (list.length > 1000) {
    errors.push(item(
      `The personalization block is limited to 1000 personalizations per API request. You have provided ${list.length} personalizations. Please consider splitting this into multiple requests and resending your request.`,
      "personalizations",
      "message.personalizations",
    ));
  }
  let allHaveSubject = true;
  list.forEach((p: unknown, i) => {
    const at = `personalizations.${i}`;
    if (!isObject(p)) {
      errors.push(item("Invalid type. Expected: object.", at));
      allHaveSubject = false;
      return;
    }
    if (typeof p.subject !== "string" || !p.subject) allHaveSubject = false;
    if (!Array.isArray(p.to) || p.to.length === 0) {
      errors.push(item(
        "The to array is required for all personalization objects, and must have at least one email object with a valid email address.",
        `${at}.to`,
        "message.personalizations.to",
      ));
    }
    const seen = new Set<string>();
    for (const kind of ["to", "cc", "bcc"] as const) {
      const addresses = p[kind];
      if (addresses === undefined) continue;
      if (!Array.isArray(addresses)) {
        errors.push(
          item(`Invalid type. Expected: array, given: ${typeName(addresses)}.`, `${at}.${kind}`),
        );
        continue;
      }
      addresses.forEach((a: unknown, j) => {
        const email = checkAddress(a, `${at}.${kind}.${j}`, errors);
        if (!email) return;
        if (seen.has(email)) {
          errors.push(item(
            `Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [${email}] in the ${at}.${kind} field.`,
            at,
            "message.recipient_errors",
          ));
        }
        seen.add(email);
      });
    }
    checkStringMap(p.headers, `${at}.headers`, errors);
    checkStringMap(p.custom_args, `${at}.custom_args`, errors);
  });
  return allHaveSubject;
}

function checkContent(body: Record<string, unknown>, errors: SendgridErrorItem[]): void {
  const content = body.content;
  if (content === undefined && typeof body.template_id === "string") return;
  if (!Array.isArray(content) || content.length === 0) {
    errors.push(item(
      "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.",
      "content",
      "message.content",
    ));
    return;
  }
  const types: string[] = [];
  content.forEach((c: unknown, i) => {
    if (!isObject(c) || typeof c.type !== "string" || !c.type || /[;\r\n]/.test(c.type)) {
      errors.push(
        item("The content type cannot contain ';', or CRLF characters.", `content.${i}.type`),
      );
      return;
    }
    if (typeof c.value !== "string" || c.value.length === 0) {
      errors.push(item(
        "The content value must be a string at least one character in length.",
        `content.${i}.value`,
        "message.content.value",
      ));
    }
    types.push(c.type);
  });
  if (types.includes("text/plain") && types[0] !== "text/plain") {
    errors.push(item(
      "If present, text/plain content must be first, followed by any other content.",
      "content",
      "message.content",
    ));
  }
  for (const t of ["text/plain", "text/html"]) {
    if (types.filter((x) => x === t).length > 1) {
      errors.push(
        item(`If present, ${t} may only be provided once.`, "content", "message.content"),
      );
    }
  }
}

function checkAttachments(body: Record<string, unknown>, errors: SendgridErrorItem[]): void {
  const list = body.attachments;
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    errors.push(item(`Invalid type. Expected: array, given: ${typeName(list)}.`, "attachments"));
    return;
  }
  list.forEach((a: unknown, i) => {
    const at = `attachments.${i}`;
    if (!isObject(a)) return void errors.push(item("Invalid type. Expected: object.", at));
    if (typeof a.content !== "string" || !a.content) {
      errors.push(
        item("The attachment content is required.", `${at}.content`, "message.attachments.content"),
      );
    } else if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.content) || a.content.length % 4 !== 0) {
      errors.push(
        item(
          "The attachment content must be base64 encoded.",
          `${at}.content`,
          "message.attachments.content",
        ),
      );
    }
    if (typeof a.filename !== "string" || !a.filename) {
      errors.push(
        item(
          "The attachment filename parameter is required.",
          `${at}.filename`,
          "message.attachments.filename",
        ),
      );
    }
    if (a.type !== undefined && (typeof a.type !== "string" || /[;\r\n]/.test(a.type))) {
      errors.push(
        item("The attachment type cannot contain ';', or CRLF characters.", `${at}.type`),
      );
    }
    if (a.disposition !== undefined && !["inline", "attachment"].includes(String(a.disposition))) {
      errors.push(
        item("The disposition must be either 'inline' or 'attachment'.", `${at}.disposition`),
      );
    }
  });
}

/** SendGrid's validation of a mail send body: every problem found, as SendGrid lists them. */
export function validateMailSend(body: unknown): SendgridErrorItem[] {
  const errors: SendgridErrorItem[] = [];
  if (!isObject(body)) return [item("Bad Request", null)];
  const allHaveSubject = checkPersonalizations(body, errors);
  if (!isObject(body.from) || typeof body.from.email !== "string") {
    errors.push(item(
      'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.  e.g. {"email" : "example@example.com"}  or {"email" : "example@example.com", "name" : "Example Recipient"}.',
      "from.email",
      "message.from",
    ));
  } else if (!EMAIL.test(body.from.email)) {
    errors.push(item(
      "The from email does not contain a valid address.",
      "from.email",
      "message.from",
    ));
  }
  if (body.reply_to !== undefined) checkAddress(body.reply_to, "reply_to", errors);
  const hasTemplate = typeof body.template_id === "string";
  if ((typeof body.subject !== "string" || !body.subject) && !allHaveSubject && !hasTemplate) {
    errors.push(item(
      "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.",
      "subject",
      "message.subject",
    ));
  }
  checkContent(body, errors);
  checkAttachments(body, errors);
  checkStringMap(body.headers, "headers", errors);
  checkStringMap(body.custom_args, "custom_args", errors);
  if (isObject(body.custom_args) && JSON.stringify(body.custom_args).length > 10_000) {
    errors.push(item("The custom_args must be 10,000 bytes or less.", "custom_args"));
  }
  return errors;
}

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
    [item(DEFAULT_ERRORS[failure.status] ?? "error", null)];
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
      return answerFailure({ status: 405, errors: [item("method not allowed", null)] });
    }
    if (new TextEncoder().encode(rawBody).length > MAX_BODY_BYTES) {
      return answerFailure({ status: 413 });
    }
    const scripted = queued.shift();
    if (scripted) return answerFailure(scripted);
    if (body === undefined) {
      return answerFailure({ status: 400, errors: [item("Bad Request", null)] });
    }
    const errors = validateMailSend(body);
    if (errors.length) return answerFailure({ status: 400, errors });
    const id = messageId();
    accepted.push({ messageId: id, body: body as Record<string, unknown> });
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
