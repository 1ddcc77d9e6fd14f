// The inbox. The server renders the whole first screen (the first page of conversations and,
// with ?c=, the open thread); the islands take over from there and follow the live stream.
import { define, page } from "../lib/web/define.ts";
import type { InboxData } from "../lib/inbox/types.ts";
import {
  conversationById,
  firstConversations,
  latestEventId,
  newestEmails,
  newestMessages,
  optOutFor,
  searchHits,
} from "../lib/inbox/page_data.ts";
import { formatPhone } from "../lib/inbox/phone.ts";
import { createStore, StoreProvider } from "../lib/inbox/store.ts";
import ConversationList from "../islands/ConversationList.tsx";
import ConversationPane from "../islands/ConversationPane.tsx";
import EmailComposer from "../islands/EmailComposer.tsx";

import { zoneFromCookie } from "../lib/inbox/time.ts";

const PAGE = 50;

// The auth gate puts the principal on the context; read loosely so the page also renders
// where no gate runs (tests that build the app without one).
type MaybePrincipal = { email?: string; role?: string; csrfToken?: string } | undefined;

export const handler = define.handlers({
  async GET(c) {
    const { sql, settings } = c.var.app;
    const principal = (c.var as { principal?: MaybePrincipal }).principal;
    const url = new URL(c.req.url);
    const openId = url.searchParams.get("c");
    // PostgreSQL text cannot hold NUL: the filter searches for the rest.
    const filter = (url.searchParams.get("q") ?? "").slice(0, 200).replaceAll("\u0000", "");
    // Read first: whatever changes after this point reaches the page through the stream.
    const eventId = await latestEventId(sql);
    const [conversations, open, search] = await Promise.all([
      firstConversations(sql, { limit: PAGE, q: filter.trim() || undefined }),
      openId ? conversationById(sql, openId) : Promise.resolve(null),
      searchHits(sql, filter),
    ]);
    const [messages, emails, optOut] = open
      ? open.channel === "email"
        ? [null, await newestEmails(sql, open.id, PAGE), null]
        : await Promise.all([newestMessages(sql, open.id, PAGE), null, optOutFor(sql, open)])
      : [null, null, null];
    const country = settings.HATCH_DEFAULT_COUNTRY;
    const labels: Record<string, string> = {};
    for (const conv of [...conversations.items, ...(open ? [open] : [])]) {
      if (conv.channel !== "sms") continue;
      for (const p of conv.participants) labels[p] ??= formatPhone(p, country);
    }
    for (const hit of search?.hits ?? []) {
      if (hit.channel === "sms") labels[hit.address] ??= formatPhone(hit.address, country);
    }
    const data: InboxData = {
      conversations,
      open,
      messages,
      emails,
      notFound: openId && !open ? `Conversation "${openId}" was not found` : null,
      labels,
      latestEventId: eventId,
      sandbox: settings.smsProvider === "sandbox",
      defaultCountry: country,
      timeZone: zoneFromCookie(c.req.header("cookie")),
      filter,
      search,
      optOut,
      csrfToken: principal?.csrfToken ?? null,
      user: principal?.email ? { email: principal.email, role: principal.role ?? "agent" } : null,
    };
    return page(data);
  },
});

export default define.page<InboxData>(({ data }) => {
  const now = Date.now();
  const store = createStore({
    conversations: data.conversations.items,
    listCursor: data.conversations.next_cursor,
    filter: data.filter,
    search: data.search ?? null,
    optOut: data.open && data.optOut ? { ...data.optOut, conversationId: data.open.id } : null,
    selectedId: data.open?.id ?? null,
    open: data.open,
    notFound: data.notFound,
    thread: data.open
      ? {
        conversationId: data.open.id,
        channel: data.open.channel,
        messages: data.messages?.items ?? [],
        emails: data.emails?.items ?? [],
        cursor: (data.open.channel === "email" ? data.emails : data.messages)?.next_cursor ?? null,
        loading: false,
        loadingOlder: false,
        error: null,
      }
      : null,
    labels: data.labels,
    sandbox: data.sandbox,
    defaultCountry: data.defaultCountry,
    timeZone: data.timeZone,
    latestEventId: data.latestEventId,
    now,
    csrfToken: data.csrfToken,
  });
  const common = {
    csrfToken: data.csrfToken,
    labels: data.labels,
    latestEventId: data.latestEventId,
    defaultCountry: data.defaultCountry,
    timeZone: data.timeZone,
    now,
  };
  return (
    <StoreProvider value={store}>
      <link rel="stylesheet" href="/static/contacts.css" />
      <div class="app">
        <ConversationList
          conversations={data.conversations.items}
          nextCursor={data.conversations.next_cursor}
          selectedId={data.open?.id ?? null}
          filter={data.filter}
          search={data.search ?? null}
          user={data.user}
          {...common}
        />
        <ConversationPane
          conversation={data.open}
          messages={data.messages?.items ?? []}
          emails={data.emails?.items ?? []}
          cursor={(data.open?.channel === "email" ? data.emails : data.messages)?.next_cursor ??
            null}
          notFound={data.notFound}
          optOut={data.optOut ?? null}
          sandbox={data.sandbox}
          {...common}
        />
        <EmailComposer csrfToken={data.csrfToken} />
      </div>
    </StoreProvider>
  );
});
