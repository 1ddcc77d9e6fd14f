// The inbox. The server renders the whole first screen (the first page of conversations and,
// with ?c=, the open thread); the islands take over from there and follow the live stream.
import { define, page } from "@/lib/web/define.ts";
import { type InboxData, inboxPage } from "@/lib/pages/inbox.ts";
import type { PagePrincipal } from "@/lib/pages/common.ts";
import { viewFromUrl } from "@/lib/pages/team.ts";
import { createStore, StoreProvider } from "@/lib/client/store.ts";
import ConversationList from "@/islands/ConversationList.tsx";
import ConversationPane from "@/islands/ConversationPane.tsx";
import EmailComposer from "@/islands/EmailComposer.tsx";
import { Stylesheets } from "@/components/Stylesheets.tsx";
import { emailFromAddress } from "@/lib/providers/select.ts";

export const handler = define.handlers({
  async GET(c) {
    const { sql, settings } = c.var.app;
    const url = new URL(c.req.url);
    const data = await inboxPage(sql, {
      openId: url.searchParams.get("c"),
      q: url.searchParams.get("q") ?? "",
      defaultCountry: settings.HATCH_DEFAULT_COUNTRY,
      sandbox: settings.smsProvider === "sandbox",
      emailSandbox: settings.emailProvider === "sandbox",
      emailFrom: emailFromAddress(settings),
      cookie: c.req.header("cookie"),
      // The auth gate sets it; read loosely so the page renders where no gate runs (tests).
      principal: (c.var as { principal?: PagePrincipal }).principal,
      view: viewFromUrl(url.searchParams.get("view"), url.searchParams.get("label")),
    });
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
    emailSandbox: data.emailSandbox,
    defaultCountry: data.defaultCountry,
    timeZone: data.timeZone,
    latestEventId: data.latestEventId,
    now,
    csrfToken: data.csrfToken,
    userId: data.user?.id ?? null,
    team: data.team,
  });
  const common = {
    csrfToken: data.csrfToken,
    labels: data.labels,
    latestEventId: data.latestEventId,
    defaultCountry: data.defaultCountry,
    timeZone: data.timeZone,
    now,
    userId: data.user?.id ?? null,
    team: data.team,
  };
  return (
    <StoreProvider value={store}>
      <Stylesheets
        names={[
          "callout",
          "buttons",
          "dialog",
          "shell",
          "shell-parts",
          "contact-form",
          "thread",
          "composer",
          "inbox",
          "email-reader",
          "team",
        ]}
      />
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
          emailSandbox={data.emailSandbox}
          {...common}
        />
        <EmailComposer csrfToken={data.csrfToken} from={data.emailFrom} />
      </div>
    </StoreProvider>
  );
});
