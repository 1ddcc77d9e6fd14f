// SendGrid's validation of a v3 Mail Send body, as the fake SendGrid (fake_sendgrid.ts) applies
// it: every problem found, each as an entry of SendGrid's `{errors: [{message, field, help}]}`,
// with SendGrid's wording, fields and help links.

/** One entry of SendGrid's error list. */
export interface SendgridErrorItem {
  message: string;
  field: string | null;
  help: string | null;
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

/** One entry of SendGrid's error list; `anchor` picks the help link's section. */
export function errorItem(
  message: string,
  field: string | null,
  anchor?: string,
): SendgridErrorItem {
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
    errors.push(errorItem("The email parameter is required.", `${field}.email`));
    return undefined;
  }
  if (!EMAIL.test(v.email)) {
    errors.push(errorItem("Does not contain a valid address.", `${field}.email`));
    return undefined;
  }
  return v.email.toLowerCase();
}

function checkStringMap(v: unknown, field: string, errors: SendgridErrorItem[]): void {
  if (v === undefined) return;
  if (!isObject(v)) {
    errors.push(errorItem(`Invalid type. Expected: object, given: ${typeName(v)}.`, field));
    return;
  }
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== "string") {
      errors.push(
        errorItem(`Invalid type. Expected: string, given: ${typeName(value)}.`, `${field}.${k}`),
      );
    }
    if (field.endsWith("headers") && RESERVED_HEADERS.includes(k.toLowerCase())) {
      errors.push(
        errorItem(`The header ${k} is reserved and cannot be set`, field, "message.headers"),
      );
    }
  }
}

function checkPersonalizations(
  body: Record<string, unknown>,
  errors: SendgridErrorItem[],
): boolean {
  const list = body.personalizations;
  if (!Array.isArray(list) || list.length === 0) {
    errors.push(errorItem(
      "The personalizations field is required and must have at least one personalization.",
      "personalizations",
      "message.personalizations",
    ));
    return false;
  }
  if (list.length > 1000) {
    errors.push(errorItem(
      `The personalization block is limited to 1000 personalizations per API request. You have provided ${list.length} personalizations. Please consider splitting this into multiple requests and resending your request.`,
      "personalizations",
      "message.personalizations",
    ));
  }
  let allHaveSubject = true;
  list.forEach((p: unknown, i) => {
    const at = `personalizations.${i}`;
    if (!isObject(p)) {
      errors.push(errorItem("Invalid type. Expected: object.", at));
      allHaveSubject = false;
      return;
    }
    if (typeof p.subject !== "string" || !p.subject) allHaveSubject = false;
    if (!Array.isArray(p.to) || p.to.length === 0) {
      errors.push(errorItem(
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
          errorItem(
            `Invalid type. Expected: array, given: ${typeName(addresses)}.`,
            `${at}.${kind}`,
          ),
        );
        continue;
      }
      addresses.forEach((a: unknown, j) => {
        const email = checkAddress(a, `${at}.${kind}.${j}`, errors);
        if (!email) return;
        if (seen.has(email)) {
          errors.push(errorItem(
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
    errors.push(errorItem(
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
        errorItem("The content type cannot contain ';', or CRLF characters.", `content.${i}.type`),
      );
      return;
    }
    if (typeof c.value !== "string" || c.value.length === 0) {
      errors.push(errorItem(
        "The content value must be a string at least one character in length.",
        `content.${i}.value`,
        "message.content.value",
      ));
    }
    types.push(c.type);
  });
  if (types.includes("text/plain") && types[0] !== "text/plain") {
    errors.push(errorItem(
      "If present, text/plain content must be first, followed by any other content.",
      "content",
      "message.content",
    ));
  }
  for (const t of ["text/plain", "text/html"]) {
    if (types.filter((x) => x === t).length > 1) {
      errors.push(
        errorItem(`If present, ${t} may only be provided once.`, "content", "message.content"),
      );
    }
  }
}

function checkAttachments(body: Record<string, unknown>, errors: SendgridErrorItem[]): void {
  const list = body.attachments;
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    errors.push(
      errorItem(`Invalid type. Expected: array, given: ${typeName(list)}.`, "attachments"),
    );
    return;
  }
  list.forEach((a: unknown, i) => {
    const at = `attachments.${i}`;
    if (!isObject(a)) return void errors.push(errorItem("Invalid type. Expected: object.", at));
    if (typeof a.content !== "string" || !a.content) {
      errors.push(
        errorItem(
          "The attachment content is required.",
          `${at}.content`,
          "message.attachments.content",
        ),
      );
    } else if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.content) || a.content.length % 4 !== 0) {
      errors.push(
        errorItem(
          "The attachment content must be base64 encoded.",
          `${at}.content`,
          "message.attachments.content",
        ),
      );
    }
    if (typeof a.filename !== "string" || !a.filename) {
      errors.push(
        errorItem(
          "The attachment filename parameter is required.",
          `${at}.filename`,
          "message.attachments.filename",
        ),
      );
    }
    if (a.type !== undefined && (typeof a.type !== "string" || /[;\r\n]/.test(a.type))) {
      errors.push(
        errorItem("The attachment type cannot contain ';', or CRLF characters.", `${at}.type`),
      );
    }
    if (a.disposition !== undefined && !["inline", "attachment"].includes(String(a.disposition))) {
      errors.push(
        errorItem("The disposition must be either 'inline' or 'attachment'.", `${at}.disposition`),
      );
    }
  });
}

/** SendGrid's validation of a mail send body: every problem found, as SendGrid lists them. */
export function validateMailSend(body: unknown): SendgridErrorItem[] {
  const errors: SendgridErrorItem[] = [];
  if (!isObject(body)) return [errorItem("Bad Request", null)];
  const allHaveSubject = checkPersonalizations(body, errors);
  if (!isObject(body.from) || typeof body.from.email !== "string") {
    errors.push(errorItem(
      'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.  e.g. {"email" : "example@example.com"}  or {"email" : "example@example.com", "name" : "Example Recipient"}.',
      "from.email",
      "message.from",
    ));
  } else if (!EMAIL.test(body.from.email)) {
    errors.push(errorItem(
      "The from email does not contain a valid address.",
      "from.email",
      "message.from",
    ));
  }
  if (body.reply_to !== undefined) checkAddress(body.reply_to, "reply_to", errors);
  const hasTemplate = typeof body.template_id === "string";
  if ((typeof body.subject !== "string" || !body.subject) && !allHaveSubject && !hasTemplate) {
    errors.push(errorItem(
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
    errors.push(errorItem("The custom_args must be 10,000 bytes or less.", "custom_args"));
  }
  return errors;
}
