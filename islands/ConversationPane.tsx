// The right side: the open conversation. SMS and chat show in the seed's phone frame with the
// composer (switched off, with a banner saying why, when the recipient opted out); email shows
// as a reading pane; beside it, the contact and (sandbox) the simulator.
import { useEffect, useState } from "preact/hooks";
import type { Conversation, Email, Message, OptOut } from "@/lib/shared/types.ts";
import { type Store, useStore } from "@/lib/client/store.ts";
import type { TeamSeed } from "@/lib/client/team_store.ts";
import { contactLabel, phoneLabel } from "@/lib/client/labels.ts";
import { markRead } from "@/lib/client/actions.ts";
import { boot } from "@/lib/client/boot.ts";
import { BackButton } from "@/components/PaneTitle.tsx";
import { EmailPane } from "@/components/EmailPane.tsx";
import { PhonePane } from "@/components/PhonePane.tsx";
import { ConversationDetails } from "@/components/ConversationDetails.tsx";
import { IconCompose, IconMail } from "@/components/Icons.tsx";

/** What the page gives the pane. */
export interface ConversationPaneProps {
  conversation: Conversation | null;
  messages: Message[];
  emails: Email[];
  cursor: string | null;
  notFound: string | null;
  /** The open SMS conversation's opt-out, when its recipient opted out. */
  optOut?: OptOut | null;
  sandbox: boolean;
  /** The sandbox email provider is active: the simulator answers emails too. */
  emailSandbox?: boolean;
  labels: Record<string, string>;
  latestEventId: string;
  defaultCountry: string;
  timeZone: string;
  now: number;
  csrfToken: string | null;
  /** The signed-in user's id, so their own sends say "You". */
  userId: string | null;
  /** The team inbox: teammates, labels, the open thread's notes. */
  team?: TeamSeed;
}

function EmptyStage(props: { store: Store }) {
  const { store } = props;
  const count = store.conversations.value.length;
  // While a filter narrows the list, an empty list says nothing about the inbox itself.
  const filtering = store.filter.value.trim() !== "";
  return (
    <div class="empty-stage">
      <div class="empty-card">
        <div class="empty-art" aria-hidden="true">
          <span class="empty-bubble b1" />
          <span class="empty-bubble b2" />
          <span class="empty-bubble b3" />
        </div>
        <h1>{filtering ? "Search" : count ? "Pick a conversation" : "Your inbox is ready"}</h1>
        <p>
          {filtering
            ? "What matches your search is listed on the left; pick one to open it."
            : count
            ? "Texts, chats and emails with your customers, live as they happen."
            : "Text a customer or send an email; replies land here the moment they arrive."}
        </p>
        <div class="empty-actions">
          <button
            type="button"
            class="button button-primary"
            onClick={() => store.newConversationOpen.value = true}
          >
            <IconCompose size={16} /> New conversation
          </button>
          <button
            type="button"
            class="button button-secondary"
            onClick={() => store.composer.value = { open: true }}
          >
            <IconMail size={16} /> Compose email
          </button>
        </div>
      </div>
    </div>
  );
}

/** The conversation pane island. */
export default function ConversationPane(props: ConversationPaneProps) {
  const store = useStore("ConversationPane", () => ({
    open: props.conversation,
    notFound: props.notFound,
    optOut: props.conversation && props.optOut
      ? { ...props.optOut, conversationId: props.conversation.id }
      : null,
    thread: props.conversation
      ? {
        conversationId: props.conversation.id,
        channel: props.conversation.channel,
        messages: props.messages,
        emails: props.emails,
        cursor: props.cursor,
        loading: false,
        loadingOlder: false,
        error: null,
      }
      : null,
    sandbox: props.sandbox,
    emailSandbox: props.emailSandbox ?? false,
    labels: props.labels,
    latestEventId: props.latestEventId,
    defaultCountry: props.defaultCountry,
    timeZone: props.timeZone,
    now: props.now,
    csrfToken: props.csrfToken,
    userId: props.userId,
    team: props.team,
  }));
  const [detailsOpen, setDetailsOpen] = useState(false);
  useEffect(() => {
    boot(store);
    // Opened straight from a link: reading it here counts as reading it.
    const open = store.open.value;
    if (open && open.unread_count > 0 && document.visibilityState === "visible") {
      markRead(store, open.id);
    }
  }, []);

  const thread = store.thread.value;
  const conv = store.open.value;
  const draft = store.draft.value;
  const notFound = store.notFound.value;
  const front = thread !== null || notFound !== null;

  if (!thread) {
    return (
      <main class={`stage${front ? " is-front" : ""}`} id="main">
        {notFound
          ? (
            <div class="empty-stage">
              <div class="empty-card">
                <BackButton store={store} />
                <h1>Conversation not found</h1>
                <p>{notFound}</p>
              </div>
            </div>
          )
          : <EmptyStage store={store} />}
      </main>
    );
  }

  const channel = conv?.channel ?? draft?.channel ?? thread.channel;
  const address = conv?.contact ?? draft?.to ?? "";
  const label = conv
    ? contactLabel(store, conv)
    : draft?.name
    ? draft.name
    : channel === "sms"
    ? phoneLabel(store, address)
    : address;
  const simulator = !!thread.conversationId &&
    ((store.settings.sandbox && channel === "sms") ||
      (store.settings.emailSandbox && channel === "email"));
  const out = store.optOut.value;
  const optOut = channel === "sms" && out && out.conversationId === thread.conversationId
    ? out
    : null;

  return (
    <main class={`stage is-front${channel === "email" ? " is-email" : ""}`} id="main">
      {channel === "email" && conv
        ? <EmailPane store={store} conv={conv} thread={thread} label={label} />
        : (
          <PhonePane
            store={store}
            conv={conv}
            thread={thread}
            channel={channel}
            label={label}
            address={address}
            simulator={simulator}
            optOut={optOut}
            detailsOpen={detailsOpen}
            onToggleDetails={() => setDetailsOpen(!detailsOpen)}
          />
        )}
      <ConversationDetails
        store={store}
        conv={conv}
        label={label}
        address={address}
        channel={channel}
        showSimulator={simulator}
        open={detailsOpen}
        onClose={() => setDetailsOpen(false)}
      />
    </main>
  );
}
