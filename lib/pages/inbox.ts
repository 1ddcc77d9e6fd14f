// The inbox page's first screen, read through the same services the API answers with (so the
// shapes and the paging cursors are the API's own); the islands continue from there.
import type { Tx } from "@/lib/db/connect.ts";
import { HatchError } from "@/lib/errors.ts";
import { listConversations } from "@/lib/conversations/service.ts";
import { listMessages } from "@/lib/messages/service.ts";
import { listEmails } from "@/lib/emails/service.ts";
import { optOutOf } from "@/lib/messages/opt_outs.ts";
import { search } from "@/lib/search/service.ts";
import { SEARCH_PAGE, toHit } from "@/lib/shared/search_text.ts";
import { formatPhone } from "@/lib/shared/phone.ts";
import { zoneFromCookie } from "@/lib/shared/time.ts";
import type {
  Channel,
  Conversation,
  Email,
  Item,
  Message,
  OptOut,
  Paged,
  SearchState,
} from "@/lib/shared/types.ts";
import {
  conversationById,
  filterText,
  latestEventId,
  type PagePrincipal,
  type Viewer,
  viewer,
} from "./common.ts";
import { teamSeed } from "./team.ts";
import type { TeamSeed, ViewState } from "@/lib/client/team_store.ts";

/** Rows per page of the list and of the open thread, as the API pages them. */
const PAGE = 50;

/** What the page handler gives the inbox page and, from there, its islands. */
export interface InboxData {
  conversations: Paged<Conversation>;
  /** The open conversation (`?c=`), if any and found. */
  open: Conversation | null;
  messages: Paged<Message> | null;
  emails: Paged<Email> | null;
  /** Set when `?c=` named a conversation that does not exist. */
  notFound: string | null;
  /** People-readable labels for the phone numbers on screen, so the browser need not load libphonenumber to hydrate. */
  labels: Record<string, string>;
  latestEventId: string;
  sandbox: boolean;
  /** The sandbox email provider is active (the simulator answers emails too). */
  emailSandbox: boolean;
  /** The address emails go out from, for the composer to show. */
  emailFrom: string;
  defaultCountry: string;
  timeZone: string;
  /** The filter text from `?q=`. */
  filter: string;
  /** Messages and emails matching the filter text (absent when there is none). */
  search?: SearchState | null;
  /** The open SMS conversation's opt-out, when its recipient opted out. */
  optOut?: OptOut | null;
  /** The signed-in user's session CSRF token, sent with every write. */
  csrfToken: string | null;
  /** Who is signed in, for the sidebar's footer. */
  user: Viewer | null;
  /** The team inbox: the view, its counts, teammates, labels, the open thread's notes. */
  team: TeamSeed;
}

/** The first page of the conversation list, newest activity first, optionally filtered. */
export async function firstConversations(
  sql: Tx,
  options: {
    limit: number;
    q?: string;
    channel?: Channel;
    view?: ViewState["view"];
    label?: string;
    userId?: string;
    country?: string;
  },
): Promise<Paged<Conversation>> {
  const page = await listConversations(sql, options);
  return { items: page.conversations, next_cursor: page.next_cursor };
}

/** The newest page of a conversation's messages, oldest first, with the cursor for older ones. */
export async function newestMessages(
  sql: Tx,
  conversation: string,
  limit: number,
): Promise<Paged<Message>> {
  const page = await listMessages(sql, conversation, { limit });
  return { items: page.messages, next_cursor: page.next_cursor };
}

/** The newest page of a conversation's emails, oldest first, with the cursor for older ones. */
export async function newestEmails(
  sql: Tx,
  conversation: string,
  limit: number,
): Promise<Paged<Email>> {
  const page = await listEmails(sql, conversation, { limit });
  // The email schema types status as any string; the table's check constraint narrows it.
  return { items: page.emails as Email[], next_cursor: page.next_cursor };
}

/** The opt-out of an SMS conversation's recipient, in the API's shape, or null. */
export async function optOutFor(sql: Tx, conv: Conversation): Promise<OptOut | null> {
  if (conv.channel !== "sms") return null;
  const out = await optOutOf(sql, conv.participants[0], conv.participants[1]);
  return out ? { keyword: out.keyword, opted_out_at: out.opted_out_at.toISOString() } : null;
}

/** The first page of messages and emails containing the filter text, cut for the result list. */
export async function searchHits(sql: Tx, q: string): Promise<SearchState | null> {
  if (!q.trim()) return null;
  try {
    const page = await search(sql, { q, limit: SEARCH_PAGE });
    return {
      q: q.trim(),
      hits: (page.results as Item[]).map((r) => toHit(r, q)),
      cursor: page.next_cursor,
      loading: false,
      error: null,
    };
  } catch (e) {
    // Text the search cannot take (too long, say) leaves the list filter to work alone.
    if (e instanceof HatchError) return null;
    throw e;
  }
}

/** Labels for the phone numbers of the SMS conversations and search hits on the first screen. */
export function inboxLabels(
  conversations: Conversation[],
  hits: SearchState["hits"],
  country: string,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const conv of conversations) {
    if (conv.channel !== "sms") continue;
    for (const p of conv.participants) labels[p] ??= formatPhone(p, country);
  }
  for (const hit of hits) {
    if (hit.channel === "sms") labels[hit.address] ??= formatPhone(hit.address, country);
  }
  return labels;
}

/** Everything the inbox page renders; `openId` (`?c=`) opens that conversation beside the list. */
export async function inboxPage(
  sql: Tx,
  options: {
    openId: string | null;
    /** The filter text from `?q=`, as typed. */
    q: string;
    defaultCountry: string;
    sandbox: boolean;
    emailSandbox?: boolean;
    emailFrom?: string;
    cookie: string | undefined;
    principal: PagePrincipal;
    /** The list's view, from `?view=` and `?label=`. */
    view?: ViewState;
  },
): Promise<InboxData> {
  const { openId } = options;
  const userId = options.principal?.userId;
  const view = options.view ?? { view: "all", label: null };
  const filter = filterText(options.q);
  // Read first: whatever changes after this point reaches the page through the stream.
  const eventId = await latestEventId(sql);
  const [conversations, open, search] = await Promise.all([
    firstConversations(sql, {
      limit: PAGE,
      q: filter.trim() || undefined,
      country: options.defaultCountry,
      // "mine" needs someone signed in; without one (tests of the page alone) All stands in.
      view: view.view === "mine" && !userId ? "all" : view.view,
      label: view.label ?? undefined,
      userId,
    }),
    openId ? conversationById(sql, openId, userId) : Promise.resolve(null),
    searchHits(sql, filter),
  ]);
  const [messages, emails, optOut] = open
    ? open.channel === "email"
      ? [null, await newestEmails(sql, open.id, PAGE), null]
      : await Promise.all([newestMessages(sql, open.id, PAGE), null, optOutFor(sql, open)])
    : [null, null, null];
  const country = options.defaultCountry;
  return {
    conversations,
    open,
    messages,
    emails,
    notFound: openId && !open ? `Conversation "${openId}" was not found` : null,
    labels: inboxLabels(
      [...conversations.items, ...(open ? [open] : [])],
      search?.hits ?? [],
      country,
    ),
    latestEventId: eventId,
    sandbox: options.sandbox,
    emailSandbox: options.emailSandbox ?? false,
    emailFrom: options.emailFrom ?? "",
    defaultCountry: country,
    timeZone: zoneFromCookie(options.cookie),
    filter,
    search,
    optOut,
    ...(await viewer(sql, options.principal)),
    team: await teamSeed(sql, {
      view,
      openId: open?.id ?? null,
      user: userId ? { id: userId, role: options.principal?.role ?? "agent" } : null,
    }),
  };
}
