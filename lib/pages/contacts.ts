// The contacts pages' first screen, read through the services the API answers with: a page of
// contacts by name (filtered by `?q=`) and, on a contact's own page, that contact, its
// conversations and the newest page of its timeline. The islands continue from there.
import type { Tx } from "@/lib/db/connect.ts";
import { NotFoundError } from "@/lib/errors.ts";
import { contactTimeline, getContact, listContacts } from "@/lib/contacts/service.ts";
import { formatPhone } from "@/lib/shared/phone.ts";
import { zoneFromCookie } from "@/lib/shared/time.ts";
import { conversationLink, MAX_CONVERSATION_LINKS, toEntry } from "@/lib/shared/timeline.ts";
import type { Contact, ContactDetail, Item, Paged } from "@/lib/shared/types.ts";
import {
  conversationById,
  filterText,
  isUuid,
  latestEventId,
  type PagePrincipal,
  type Viewer,
  viewer,
} from "./common.ts";

/** Contacts per page in the list. */
export const CONTACTS_PAGE = 50;
/** Entries per page of a timeline, as the API pages them. */
export const TIMELINE_PAGE = 50;

/** What the contacts pages render. */
export interface ContactsData {
  /** The tab's title. */
  title: string;
  contacts: Paged<Contact>;
  /** The list's filter text, from `?q=`. */
  q: string;
  /** The open contact, on `/contacts/:id`. */
  open: ContactDetail | null;
  /** Set when `/contacts/:id` named a contact that does not exist. */
  notFound: string | null;
  /** People-readable labels for the phone numbers on screen. */
  labels: Record<string, string>;
  defaultCountry: string;
  timeZone: string;
  csrfToken: string | null;
  user: Viewer | null;
}

/** The first page of contacts by name, optionally filtered by name, number or address. */
export async function firstContacts(sql: Tx, q: string): Promise<Paged<Contact>> {
  const page = await listContacts(sql, { limit: CONTACTS_PAGE, q: q.trim() || undefined });
  return { items: page.contacts, next_cursor: page.next_cursor };
}

/** A contact with its conversations and the newest page of its timeline, or null. */
export async function contactDetail(sql: Tx, id: string): Promise<ContactDetail | null> {
  if (!isUuid(id)) return null;
  // Read first: whatever changes after this point reaches the page through the stream.
  const eventId = await latestEventId(sql);
  let contact: Contact;
  try {
    contact = await getContact(sql, id.toLowerCase());
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
  const [timeline, conversations] = await Promise.all([
    contactTimeline(sql, contact.id, { limit: TIMELINE_PAGE }),
    Promise.all(
      contact.conversation_ids.slice(0, MAX_CONVERSATION_LINKS).map((c) =>
        conversationById(sql, c)
      ),
    ),
  ]);
  return {
    contact,
    // One deleted since the contact was read is left out.
    conversations: conversations.filter((c) => c !== null).map(conversationLink),
    timeline: {
      items: (timeline.items as Item[]).map(toEntry),
      next_cursor: timeline.next_cursor,
    },
    latestEventId: eventId,
  };
}

/** Labels for every phone number the page shows, so the browser need not format them. */
export function phoneLabels(
  numbers: Iterable<string>,
  country: string,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const n of numbers) if (n.startsWith("+")) labels[n] ??= formatPhone(n, country);
  return labels;
}

/** Everything a contacts page renders; `id` opens that contact beside the list. */
export async function contactsPage(
  sql: Tx,
  options: {
    id: string | null;
    q: string;
    defaultCountry: string;
    cookie: string | undefined;
    principal: PagePrincipal;
  },
): Promise<ContactsData> {
  const q = filterText(options.q);
  const [contacts, open] = await Promise.all([
    firstContacts(sql, q),
    options.id ? contactDetail(sql, options.id) : Promise.resolve(null),
  ]);
  const numbers = [
    ...contacts.items.flatMap((c) => c.phones),
    ...(open?.contact.phones ?? []),
    ...(open?.timeline.items.map((e) => e.address) ?? []),
  ];
  return {
    title: open ? `${open.contact.name} · Contacts · Hatch` : "Contacts · Hatch",
    contacts,
    q,
    open,
    notFound: options.id && !open ? `Contact "${options.id}" was not found` : null,
    labels: phoneLabels(numbers, options.defaultCountry),
    defaultCountry: options.defaultCountry,
    timeZone: zoneFromCookie(options.cookie),
    ...(await viewer(sql, options.principal)),
  };
}
