// Real rows for the fuzzer to aim at (path ids, ids in bodies, paging cursors), made through
// the API itself, and the hints that put them into generated requests.
import fc from "fast-check";
import type { Sql } from "@/lib/db/connect.ts";
import { applyStatus } from "@/lib/db/thread.ts";
import { jsonRequest, randomEmail, randomPhone, type Requester } from "@/tests/helpers.ts";
import type { Hints } from "./arbitraries.ts";

/** Ids of rows that exist, by what they are, and cursors the list routes handed out. */
export interface Rows {
  contacts: string[];
  conversations: string[];
  messages: string[];
  emails: string[];
  users: string[];
  tokens: string[];
  cursors: string[];
}

async function created<T>(res: Response | Promise<Response>): Promise<T> {
  const r = await res;
  if (r.status >= 300) throw new Error(`Seeding failed: ${r.status} ${await r.text()}`);
  return await r.json() as T;
}

/** Two new contacts (the fuzzer deletes and merges them); the first holds `phone` if given. */
export async function freshContacts(app: Requester, phone?: string): Promise<string[]> {
  const contact = (name: string, phones: string[]) =>
    created<{ contact: { id: string } }>(
      jsonRequest(app, "/api/contacts", { name, phones, emails: [randomEmail()] }),
    ).then((c) => c.contact.id);
  return [
    await contact("Fuzz One", [phone ?? randomPhone()]),
    await contact("Fuzz Two", [randomPhone()]),
  ];
}

type Sent = { message_id: string; conversation_id: string };

/**
 * An SMS thread with an inbound answer, a chat, a failed message (to retry), an email thread of
 * two, a user and a token, contacts, and a cursor from each list. `adminId` is left out of the
 * users: the fuzzer must not demote or disable the admin it sends as.
 */
export async function seedRows(app: Requester, sql: Sql, adminId: string): Promise<Rows> {
  const phone = randomPhone();
  const contacts = await freshContacts(app, phone);
  const send = (to: string, content: string) =>
    created<Sent>(jsonRequest(app, "/api/send_message", { to, content }));
  const sms = await send(phone, "fuzz sms");
  const chat = await send("Fuzz Chat", "fuzz chat");
  const failed = await send(randomPhone(), "fuzz failed");
  // No worker runs here; a provider's refusal is what would mark it failed, so retry can work.
  await applyStatus(sql, "messages", failed.message_id, {
    status: "failed",
    errorCode: "30003",
    errorMessage: "Unreachable destination handset",
  });
  const inbound = await created<{ message_id: string }>(
    jsonRequest(app, "/api/sandbox/inbound", { conversation_id: sms.conversation_id, body: "hi" }),
  );
  const to_email = randomEmail();
  const email = () =>
    created<{ email_id: string; conversation_id: string }>(
      jsonRequest(app, "/api/send_email", { to_email, subject: "fuzz", body: "fuzz email" }),
    );
  const emails = [await email(), await email()];
  const user = await created<{ user: { id: string } }>(jsonRequest(app, "/api/users", {
    email: randomEmail(),
    password: `Fuzz-${crypto.randomUUID()}`,
  }));
  const token = await created<{ api_token: { id: string } }>(
    jsonRequest(app, "/api/tokens", { name: "fuzz victim" }),
  );
  // A cursor from every list: each route must refuse the others' in words, not choke on them.
  const cursors: string[] = [];
  for (
    const path of [
      "/api/conversations?limit=1",
      "/api/contacts?limit=1",
      `/api/conversation/${sms.conversation_id}/messages?limit=1`,
      `/api/conversation/${emails[0].conversation_id}/emails?limit=1`,
      `/api/contacts/${contacts[0]}/timeline?limit=1`,
      "/api/search?q=fuzz&limit=1",
    ]
  ) {
    const page = await created<{ next_cursor?: string | null }>(app.request(path));
    if (page.next_cursor) cursors.push(page.next_cursor);
  }
  return {
    contacts,
    conversations: [sms.conversation_id, chat.conversation_id, emails[0].conversation_id],
    messages: [sms.message_id, chat.message_id, failed.message_id, inbound.message_id],
    emails: emails.map((e) => e.email_id),
    users: [user.user.id].filter((id) => id !== adminId),
    tokens: [token.api_token.id],
    cursors,
  };
}

/** Which real ids a route's `:id` names, by the route's first segment (after /api/). */
export function realIds(rows: Rows, pattern: string): string[] {
  // "/api/contacts/:id" and the page "/contacts/:id" name the same rows.
  const kind = pattern.split("/").filter((s) => s && s !== "api")[0];
  return {
    contacts: rows.contacts,
    conversation: rows.conversations,
    message: rows.messages,
    email: rows.emails,
    tokens: rows.tokens,
    users: rows.users,
  }[kind] ?? [];
}

// Numbers as people type them, and ones libphonenumber may read in surprising ways.
const oddPhone = fc.constantFrom(
  "+1 (415) 555-0100",
  "(415) 555-0100",
  "00441632960961",
  "+999999999999999",
  "+0",
  "+14155550100123456789012345",
  "tel:+14155550100",
  "+١٤١٥٥٥٥٠١٠٠",
  "+1415555０１００",
  "+1 415 555 0100 ext. 12",
);
const phone = (area: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1000, max: 9999 }).map((n) => `+1${area}555${n}`) },
    oddPhone,
  );
// fast-check's addresses are RFC-valid but stranger than zod's check allows; mix in plain ones.
const email = fc.oneof(
  fc.emailAddress(),
  fc.stringMatching(/^[a-z]{1,10}$/).map((w) => `${w}@example.com`),
  fc.constantFrom(
    "用户@例子.广告",
    "a@xn--bcher-kva.example",
    '"quoted local"@example.com',
    "a@[127.0.0.1]",
    " A@EXAMPLE.COM ",
    "a@b",
    "a@b.co, c@d.co",
    "Name <a@b.co>",
  ),
);

const urlSafe = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text))).replaceAll("+", "-")
    .replaceAll("/", "_").replaceAll("=", "");

// Cursors are opaque but only encoded, not signed: forge well-formed ones around odd values.
// Time cursors are `at|id` (at: anything Date.parse takes); contact cursors are [name, id].
const forgedCursor = fc.tuple(
  fc.oneof(
    fc.constantFrom(
      "0000-01-01",
      "2024-02-30",
      "2024-01-01T24:00:00Z",
      "2024-01-01T00:00:00.1234567Z",
      "+275760-09-13T00:00:00Z",
      "-000001-01-01T00:00:00Z",
      "Jan 1 2000",
      "1",
      "99999",
      "\u0000",
    ),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.string({ maxLength: 10 }),
  ),
  fc.uuid(),
  fc.boolean(),
).map(([at, id, named]) => named ? urlSafe(JSON.stringify([at, id])) : urlSafe(`${at}|${id}`));

/** Fields that name rows or need a form only loosely implied by the schema. */
export function hintsFor(rows: Rows): Hints {
  return {
    conversation_id: fc.constantFrom(...rows.conversations),
    other_id: fc.constantFrom(...rows.contacts),
    contact_id: fc.constantFrom(...rows.contacts),
    before: fc.oneof(
      fc.constantFrom(...rows.cursors, "2024-05-01T00:00:00Z"),
      fc.constantFrom(...rows.cursors).map((c) => c.slice(0, -2)),
      forgedCursor,
    ),
    to: fc.oneof(fc.constantFrom("+15005550001", "+15005550004", "Fuzz Chat"), phone("415")),
    from: fc.constantFrom("+15005550006", "+15005550001"),
    to_email: email,
    email,
    cc: email,
    bcc: email,
    reply_to: email,
    password: fc.oneof(fc.uuid(), fc.constantFrom("password", "12345678", "short")),
    phones: fc.array(phone("212"), { maxLength: 3 }),
    emails: fc.array(email, { maxLength: 3 }),
    // Search words with the syntax websearch_to_tsquery and the prefix match must both survive.
    q: fc.tuple(
      fc.array(
        fc.oneof(
          fc.constantFrom('"', "-", "or", "OR", "!", "&", "|", "(", ")", ":*", "a:b", "'", "\\"),
          fc.constantFrom("fuzz", "invo", "ü", "日本語", "x-y", "1.5", "<->", "*", "@"),
          fc.string({ maxLength: 4 }),
        ),
        { maxLength: 6 },
      ),
      fc.constantFrom(" ", "", "  ", "\t"),
    ).map(([words, gap]) => words.join(gap)),
    since: fc.constantFrom("2024-05-01", "2024-05-01T09:30:00Z", "1970-01-01", "9999-12-30"),
    until: fc.constantFrom("2024-05-01", "2030-01-01T00:00:00+02:00", "0001-01-01"),
  };
}
