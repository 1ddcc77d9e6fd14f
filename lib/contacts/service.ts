import type { Sql, Tx } from "@/lib/db/connect.ts";
import type { Settings } from "@/lib/config.ts";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/errors.ts";
import { isEmail, toE164 } from "@/lib/messages/address.ts";
import { numberFilter } from "@/lib/conversations/service.ts";
import { findItems } from "@/lib/search/service.ts";
import type { Contact, ContactCreateInput, ContactPatchInput, TimelineItem } from "./schemas.ts";

// deno-lint-ignore no-explicit-any -- a row of contactSelect, shaped by toContact
type Row = Record<string, any>;

function contactSelect(sql: Tx) {
  return sql`
    select k.id, k.name, k.notes, k.created_at, k.updated_at, lower(k.name) as sort_key,
      array(select phone from contact_phones where contact_id = k.id order by phone) as phones,
      array(select email from contact_emails where contact_id = k.id order by email) as emails,
      array(
        select c.id from conversations c
        where c.participants[2] in (
          select phone from contact_phones where contact_id = k.id
          union all
          select email from contact_emails where contact_id = k.id)
        order by c.last_message_at desc, c.id desc
      )::text[] as conversation_ids
    from contacts k`;
}

function toContact(r: Row): Contact {
  return {
    id: r.id,
    name: r.name,
    notes: r.notes,
    phones: r.phones,
    emails: r.emails,
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
    conversation_ids: r.conversation_ids,
  };
}

/** Normalised, de-duplicated addresses; a bad one is a 400 naming it, before anything is stored. */
function normalise(
  country: string,
  input: { phones?: string[]; emails?: string[] },
): { phones?: string[]; emails?: string[] } {
  const phones = input.phones?.map((p) => toE164(p, country, "Cannot save phone"));
  const emails = input.emails?.map((e) => {
    const email = e.trim().toLowerCase();
    if (!isEmail(email)) {
      throw new BadRequestError(`Cannot save email "${e}": not a valid email address`);
    }
    return email;
  });
  return {
    phones: phones && [...new Set(phones)],
    emails: emails && [...new Set(emails)],
  };
}

/**
 * Gives `phones` and `emails` to contact `id`, or throws a 409 naming an address another
 * contact holds. `on conflict do nothing` waits for a concurrent claim of the same address to
 * commit, so the owner check that follows sees it and two contacts never share one.
 */
async function claim(
  tx: Tx,
  id: string,
  addresses: { phones?: string[]; emails?: string[] },
): Promise<void> {
  if (addresses.phones?.length) {
    await tx`
      insert into contact_phones (phone, contact_id)
      select unnest(${addresses.phones}::text[]), ${id}::uuid
      on conflict (phone) do nothing`;
    const [taken] = await tx`
      select a.phone as address, k.name from contact_phones a join contacts k on k.id = a.contact_id
      where a.phone = any(${addresses.phones}::text[]) and a.contact_id <> ${id}
      order by a.phone limit 1`;
    if (taken) {
      throw new ConflictError(
        `Phone "${taken.address}" already belongs to contact "${taken.name}"`,
      );
    }
  }
  if (addresses.emails?.length) {
    await tx`
      insert into contact_emails (email, contact_id)
      select unnest(${addresses.emails}::text[]), ${id}::uuid
      on conflict (email) do nothing`;
    const [taken] = await tx`
      select a.email as address, k.name from contact_emails a join contacts k on k.id = a.contact_id
      where a.email = any(${addresses.emails}::text[]) and a.contact_id <> ${id}
      order by a.email limit 1`;
    if (taken) {
      throw new ConflictError(
        `Email "${taken.address}" already belongs to contact "${taken.name}"`,
      );
    }
  }
}

/** One contact with its addresses and conversations, or a 404 naming it. */
export async function getContact(sql: Tx, id: string): Promise<Contact> {
  const [row] = await sql`${contactSelect(sql)} where k.id = ${id}`;
  if (!row) throw new NotFoundError(`Contact "${id}" not found`);
  return toContact(row);
}

/** Creates a contact with its addresses; an address another contact holds is a 409. */
export async function createContact(
  sql: Sql,
  settings: Settings,
  input: ContactCreateInput,
): Promise<Contact> {
  const addresses = normalise(settings.HATCH_DEFAULT_COUNTRY, input);
  return await sql.begin(async (tx) => {
    const [row] = await tx`
      insert into contacts (name, notes) values (${input.name}, ${input.notes ?? ""})
      returning id`;
    await claim(tx, row.id, addresses);
    return await getContact(tx, row.id);
  });
}

/** Changes a contact; `phones` and `emails`, when given, replace its sets. */
export async function updateContact(
  sql: Sql,
  settings: Settings,
  input: ContactPatchInput & { id: string },
): Promise<Contact> {
  const addresses = normalise(settings.HATCH_DEFAULT_COUNTRY, input);
  return await sql.begin(async (tx) => {
    const [row] = await tx`
      update contacts set
        name = coalesce(${input.name ?? null}, name),
        notes = coalesce(${input.notes ?? null}, notes),
        updated_at = now()
      where id = ${input.id}
      returning id`;
    if (!row) throw new NotFoundError(`Contact "${input.id}" not found`);
    if (addresses.phones) {
      await tx`
        delete from contact_phones
        where contact_id = ${input.id} and phone <> all(${addresses.phones}::text[])`;
    }
    if (addresses.emails) {
      await tx`
        delete from contact_emails
        where contact_id = ${input.id} and email <> all(${addresses.emails}::text[])`;
    }
    await claim(tx, input.id, addresses);
    return await getContact(tx, input.id);
  });
}

/** Deletes a contact; its conversations and messages stay, unlinked. */
export async function deleteContact(sql: Tx, id: string): Promise<void> {
  const rows = await sql`delete from contacts where id = ${id} returning id`;
  if (!rows.length) throw new NotFoundError(`Contact "${id}" not found`);
}

/** Moves `other`'s addresses (and notes) into `into`, which keeps its name, then deletes `other`. */
export async function mergeContacts(
  sql: Sql,
  ids: { into: string; other: string },
): Promise<Contact> {
  if (ids.into === ids.other) {
    throw new BadRequestError(`Cannot merge contact "${ids.into}" into itself`);
  }
  return await sql.begin(async (tx) => {
    // Locked in id order, so two merges of the same pair never deadlock.
    const rows = await tx`
      select id, notes from contacts where id in (${ids.into}, ${ids.other})
      order by id for update`;
    const into = rows.find((r) => r.id === ids.into);
    const other = rows.find((r) => r.id === ids.other);
    if (!into) throw new NotFoundError(`Contact "${ids.into}" not found`);
    if (!other) throw new NotFoundError(`Contact "${ids.other}" not found`);
    await tx`update contact_phones set contact_id = ${ids.into} where contact_id = ${ids.other}`;
    await tx`update contact_emails set contact_id = ${ids.into} where contact_id = ${ids.other}`;
    // Notes are the only other thing a person wrote by hand: keep both rather than lose one.
    const notes = [into.notes, other.notes].filter((n: string) => n.trim()).join("\n\n");
    await tx`update contacts set notes = ${notes}, updated_at = now() where id = ${ids.into}`;
    await tx`delete from contacts where id = ${ids.other}`;
    return await getContact(tx, ids.into);
  });
}

interface NameCursor {
  key: string;
  id: string;
}

function encodeNameCursor(c: NameCursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify([c.key, c.id]));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replaceAll("=", "");
}

function decodeNameCursor(text: string): NameCursor {
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    const [key, id] = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))),
    );
    // The name goes to PostgreSQL as sent (cursors are not signed): text it can hold only.
    if (
      typeof key === "string" && !key.includes("\u0000") && typeof id === "string" &&
      UUID_RE.test(id)
    ) return { key, id };
  } catch { /* falls through to the error below */ }
  throw new BadRequestError(`Invalid cursor "${text}": use next_cursor from the previous page`);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A page of contacts by name, keyset-paged by `before`; `q` matches name, phone or email. */
export async function listContacts(
  sql: Tx,
  options: { limit: number; before?: string; q?: string },
): Promise<{ contacts: Contact[]; next_cursor: string | null }> {
  const cursor = options.before ? decodeNameCursor(options.before) : undefined;
  const q = options.q?.trim();
  const escape = (s: string) => s.replace(/[\\%_]/g, "\\$&");
  // Phones are matched by digits only when the query is written as a number, as in the
  // conversation list: the digits of an address or a name ("t3a5b7@example.com") are not a
  // phone search.
  const digits = numberFilter(q, undefined)?.digits;
  const filter = q
    ? sql`and (k.name ilike ${`%${escape(q)}%`}
        or exists (select 1 from contact_emails e
                   where e.contact_id = k.id and e.email like ${`%${escape(q.toLowerCase())}%`})
        ${
      digits
        ? sql`or exists (select 1 from contact_phones p
                         where p.contact_id = k.id and p.phone like ${`%${digits}%`})`
        : sql``
    })`
    : sql``;
  const rows = await sql`
    ${contactSelect(sql)}
    where true
      ${cursor ? sql`and (lower(k.name), k.id) > (${cursor.key}, ${cursor.id}::uuid)` : sql``}
      ${filter}
    order by lower(k.name), k.id
    limit ${options.limit + 1}`;
  const page = rows.slice(0, options.limit);
  const last = rows.length > options.limit ? page[page.length - 1] : undefined;
  return {
    contacts: page.map(toContact),
    next_cursor: last ? encodeNameCursor({ key: last.sort_key, id: last.id }) : null,
  };
}

/** A contact's SMS, chat and email in one list, newest first, keyset-paged. */
export async function contactTimeline(
  sql: Tx,
  id: string,
  options: { limit: number; before?: string },
): Promise<{ items: TimelineItem[]; next_cursor: string | null }> {
  const [known] = await sql`select 1 from contacts where id = ${id}`;
  if (!known) throw new NotFoundError(`Contact "${id}" not found`);
  return await findItems(sql, { contactId: id, limit: options.limit, before: options.before });
}
