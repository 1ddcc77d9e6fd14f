// The left column: brand, live indicator, new conversation, compose email, the way to the
// contacts, the filter, and the conversation list, which moves live and pages in more as it is
// scrolled; with filter text, messages and emails containing it are listed under it.
import { useEffect, useRef } from "preact/hooks";
import type { Conversation, Hit, SearchState } from "@/lib/shared/types.ts";
import { useStore } from "@/lib/client/store.ts";
import { contactLabel, phoneLabel } from "@/lib/client/labels.ts";
import { openConversation, openDraft, setFilter } from "@/lib/client/actions.ts";
import { loadMoreConversations } from "@/lib/client/list_loader.ts";
import { boot } from "@/lib/client/boot.ts";
import { moreResults, revealHit, searchFor } from "@/lib/client/search.ts";
import { SearchResults } from "@/components/SearchResults.tsx";
import { AppNav } from "@/components/AppNav.tsx";
import { ConversationRow } from "@/components/ConversationRow.tsx";
import { ConnectionBadge } from "@/components/ConnectionBadge.tsx";
import { NewConversation } from "@/components/NewConversation.tsx";
import { IconCompose, IconMail, IconSearch, Logo } from "@/components/Icons.tsx";
import { SidebarFoot } from "@/components/SidebarFoot.tsx";
import { TeamToast, ViewNav } from "@/components/ViewNav.tsx";
import { LazyBulkBar, LazyShortcutHelp } from "@/components/Lazy.tsx";
import { shortcutHelpOpen, useShortcuts } from "@/lib/client/shortcuts.ts";
import { inboxShortcuts } from "@/lib/client/inbox_keys.ts";
import { listShortcuts } from "@/lib/client/list_keys.ts";
import { nameOf, type TeamSeed } from "@/lib/client/team_store.ts";
import { toggleSelected } from "@/lib/client/team_actions.ts";

/** What the page gives the list. */
export interface ConversationListProps {
  conversations: Conversation[];
  nextCursor: string | null;
  selectedId: string | null;
  filter: string;
  /** Messages and emails matching `filter`, searched on the server for the first screen. */
  search?: SearchState | null;
  labels: Record<string, string>;
  latestEventId: string;
  defaultCountry: string;
  timeZone: string;
  now: number;
  csrfToken: string | null;
  /** The signed-in user's id, so their own sends say "You". */
  userId: string | null;
  user: { id: string; email: string; name: string; role: string } | null;
  /** The team inbox: the view, its counts, teammates and labels. */
  team?: TeamSeed;
}

/** The conversation list island. */
export default function ConversationList(props: ConversationListProps) {
  const store = useStore("ConversationList", () => ({
    conversations: props.conversations,
    listCursor: props.nextCursor,
    selectedId: props.selectedId,
    filter: props.filter,
    search: props.search ?? null,
    labels: props.labels,
    latestEventId: props.latestEventId,
    defaultCountry: props.defaultCountry,
    timeZone: props.timeZone,
    now: props.now,
    csrfToken: props.csrfToken,
    userId: props.userId,
    team: props.team,
  }));
  useShortcuts(inboxShortcuts(store));
  const sentinel = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    boot(store);
    const el = sentinel.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMoreConversations(store);
    }, { root: scroller.current, rootMargin: "0px 0px 400px 0px" });
    io.observe(el);
    return () => io.disconnect();
  }, []);

  const list = store.conversations.value;
  const selected = store.selectedId.value;
  const behind = selected !== null || store.draft.value !== null || store.notFound.value !== null;
  const filter = store.filter.value;
  // One Tab stop for the whole list: the open conversation's row, else the first.
  const tabStop = list.some((c) => c.id === selected) ? selected : list[0]?.id;
  const found = filter.trim() ? store.search.value : null;
  const unread = filter ? 0 : list.filter((c) => c.unread_count > 0).length;
  // A hit's conversation is named as the list names it; one not loaded by its address.
  const hitLabel = (h: Hit) => {
    const c = list.find((x) => x.id === h.conversation_id) ??
      (store.open.value?.id === h.conversation_id ? store.open.value : null);
    if (c) return contactLabel(store, c);
    return h.channel === "sms" ? phoneLabel(store, h.address) : h.address;
  };

  useShortcuts(listShortcuts({
    list: () => scroller.current,
    search: () => search.current,
    open: (id) => openConversation(store, id),
  }));

  return (
    <aside class={`sidebar${behind ? " is-behind" : ""}`} aria-label="Conversations">
      <header class="sidebar-head">
        <div class="brand">
          <Logo size={26} />
          <span class="brand-name">Hatch</span>
          <ConnectionBadge state={store.connection.value} />
        </div>
        <div class="sidebar-actions">
          <button
            type="button"
            class="icon-button"
            aria-label="New conversation"
            title="New conversation"
            aria-expanded={store.newConversationOpen.value}
            onClick={() => store.newConversationOpen.value = !store.newConversationOpen.value}
          >
            <IconCompose size={18} />
          </button>
          <button
            type="button"
            class="button button-primary"
            onClick={() => store.composer.value = { open: true }}
          >
            <IconMail size={16} /> Compose email
          </button>
        </div>
      </header>
      <AppNav current="inbox" unread={unread} />
      <ViewNav store={store} />
      <TeamToast store={store} />
      {shortcutHelpOpen.value && <LazyShortcutHelp />}
      {store.newConversationOpen.value && (
        <NewConversation
          store={store}
          onClose={() => store.newConversationOpen.value = false}
          onStart={(to, channel, name) => void openDraft(store, to, channel, name)}
          onEmail={(to) => {
            store.newConversationOpen.value = false;
            store.composer.value = { open: true, to };
          }}
        />
      )}
      <div class="search">
        <IconSearch size={16} />
        <label class="sr-only" for="filter">Filter conversations</label>
        <input
          id="filter"
          ref={search}
          type="search"
          value={filter}
          placeholder="Search names, numbers, messages"
          autocomplete="off"
          onInput={(e) => {
            setFilter(store, e.currentTarget.value);
            searchFor(store, e.currentTarget.value);
          }}
        />
        <kbd class="search-key" aria-hidden="true">/</kbd>
      </div>
      <div class="rows-scroll" ref={scroller}>
        {found && <h2 class="rows-heading">Conversations</h2>}
        {store.team.selected.value.length > 0 && <LazyBulkBar store={store} />}
        <ul class="rows">
          {list.map((c) => (
            <ConversationRow
              tabStop={c.id === tabStop}
              key={c.id}
              conversation={c}
              label={contactLabel(store, c)}
              selected={c.id === selected}
              now={store.now.value}
              timeZone={store.timeZone.value}
              me={store.settings.userId}
              onOpen={(id) => void openConversation(store, id)}
              assignee={c.assignee_id
                ? { id: c.assignee_id, name: nameOf(store.team, c.assignee_id) }
                : null}
              selection={{
                checked: store.team.selected.value.includes(c.id),
                onToggle: () => toggleSelected(store, c.id),
              }}
            />
          ))}
        </ul>
        <div ref={sentinel} class="rows-foot" aria-live="polite">
          {store.listLoading.value
            ? <span class="spinner" aria-label="Loading" />
            : store.listError.value
            ? <p class="rows-none is-error" role="alert">{store.listError.value}</p>
            : list.length === 0 && found && (found.loading || found.hits.length)
            ? <p class="rows-none">No conversations match “{filter}”</p>
            : list.length === 0
            ? (
              <div class="rows-empty">
                <p class="rows-empty-title">
                  {filter ? `Nothing matches “${filter}”` : "No conversations yet"}
                </p>
                <p>
                  {filter
                    ? "Try a name, part of a number, or words from a message."
                    : "Start one with the pencil above, or send an email."}
                </p>
              </div>
            )
            : store.listCursor.value
            ? null
            : (
              <span class="rows-end">
                {list.length} {list.length === 1 ? "conversation" : "conversations"}
              </span>
            )}
        </div>
        {found && (found.loading || found.hits.length || list.length > 0) && (
          <SearchResults
            state={found}
            label={hitLabel}
            now={store.now.value}
            timeZone={store.timeZone.value}
            me={store.settings.userId}
            onOpen={(h) => void openConversation(store, h.conversation_id).then(() => revealHit(h))}
            onMore={() => void moreResults(store)}
          />
        )}
      </div>
      {props.user && <SidebarFoot user={props.user} csrfToken={props.csrfToken} />}
    </aside>
  );
}
