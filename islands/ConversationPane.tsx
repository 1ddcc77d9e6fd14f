// The right side: the open conversation. SMS and chat show in the seed's phone frame with the
// composer (switched off, with a banner saying why, when the recipient opted out); email shows
// as a reading pane; beside it, the contact and (sandbox) the simulator.
import { useEffect, useState } from "preact/hooks";
import type { Conversation, Email, Message, OptOut } from "../lib/shared/types.ts";
import { type Store, type Thread, useStore } from "../lib/client/store.ts";
import { contactLabel, phoneLabel } from "../lib/client/labels.ts";
import { closeConversation, loadOlder, markRead } from "../lib/client/actions.ts";
import { retryMessage, sendMessage, simulateInbound } from "../lib/client/send.ts";
import { boot } from "../lib/client/boot.ts";
import { fullTime } from "../lib/shared/time.ts";
import { ThreadView } from "../components/ThreadView.tsx";
import { Composer } from "../components/Composer.tsx";
import { EmailCard } from "../components/EmailView.tsx";
import { SandboxPanel } from "../components/SandboxPanel.tsx";
import { OptOutBanner } from "../components/OptOutBanner.tsx";
import { ContactActions } from "../components/ContactActions.tsx";
import { Avatar, CHANNEL_NAMES, ChannelIcon } from "../components/Avatar.tsx";
import {
  IconBack,
  IconCompose,
  IconFlask,
  IconMail,
  IconPerson,
  IconReply,
} from "../components/Icons.tsx";

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
  labels: Record<string, string>;
  latestEventId: string;
  defaultCountry: string;
  timeZone: string;
  now: number;
  csrfToken: string | null;
}

function BackButton(props: { store: Store }) {
  return (
    <button
      type="button"
      class="icon-button back-button"
      aria-label="Back to conversations"
      onClick={() => closeConversation(props.store)}
    >
      <IconBack size={20} />
    </button>
  );
}

function EmptyStage(props: { store: Store }) {
  const { store } = props;
  const count = store.conversations.value.length;
  return (
    <div class="empty-stage">
      <div class="empty-card">
        <div class="empty-art" aria-hidden="true">
          <span class="empty-bubble b1" />
          <span class="empty-bubble b2" />
          <span class="empty-bubble b3" />
        </div>
        <h1>{count ? "Pick a conversation" : "Your inbox is ready"}</h1>
        <p>
          {count
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

function Details(props: {
  store: Store;
  conv: Conversation | null;
  label: string;
  address: string;
  channel: "sms" | "chat" | "email";
  showSimulator: boolean;
  open: boolean;
  onClose: () => void;
}) {
  const { store, conv } = props;
  return (
    <aside
      class={`details${props.open ? " is-open" : ""}`}
      aria-label="Conversation details"
      onKeyDown={(e) => {
        if (e.key === "Escape" && props.open) props.onClose();
      }}
    >
      <section class="contact-card">
        <Avatar label={props.label} address={props.address} size="lg" />
        <h2>{props.label}</h2>
        {props.label !==
            (props.channel === "sms" ? phoneLabel(store, props.address) : props.address) &&
          (
            <p class="contact-address">
              {props.channel === "sms" ? phoneLabel(store, props.address) : props.address}
            </p>
          )}
        <dl class="facts">
          <div>
            <dt>Channel</dt>
            <dd>
              <ChannelIcon channel={props.channel} size={14} /> {CHANNEL_NAMES[props.channel]}
            </dd>
          </div>
          {conv && (
            <div>
              <dt>Messages</dt>
              <dd>{conv.message_count}</dd>
            </div>
          )}
          {conv && (
            <div>
              <dt>Last activity</dt>
              <dd>{fullTime(conv.last_message_time, store.timeZone.value)}</dd>
            </div>
          )}
          {conv && props.channel !== "chat" && (
            <div>
              <dt>Our {props.channel === "email" ? "address" : "number"}</dt>
              <dd>
                {props.channel === "sms"
                  ? phoneLabel(store, conv.participants[0])
                  : conv.participants[0]}
              </dd>
            </div>
          )}
        </dl>
      </section>
      {conv && <ContactActions store={store} conv={conv} />}
      {props.showSimulator && (
        <SandboxPanel
          customer={props.label}
          onSend={(body) => simulateInbound(store, body)}
        />
      )}
    </aside>
  );
}

function EmailPane(props: { store: Store; conv: Conversation; thread: Thread; label: string }) {
  const { store, conv, thread } = props;
  const subject = conv.subject ?? thread.emails[thread.emails.length - 1]?.subject ??
    "(no subject)";
  const reply = () =>
    store.composer.value = {
      open: true,
      to: conv.contact,
      subject: /^re:/i.test(subject) ? subject : `Re: ${subject}`,
    };
  return (
    <section class="reader" aria-label={`Emails with ${props.label}`}>
      <header class="reader-head">
        <BackButton store={store} />
        <div class="reader-title">
          <h1>{subject}</h1>
          <p>
            <IconMail size={13} /> <ContactName conv={conv} label={props.label} /> ·{" "}
            {conv.message_count} {conv.message_count === 1 ? "email" : "emails"}
          </p>
        </div>
        <button type="button" class="button button-secondary" onClick={reply}>
          <IconReply size={15} /> Reply
        </button>
      </header>
      <div class="reader-scroll">
        {thread.cursor && (
          <button
            type="button"
            class="button button-ghost older-emails"
            disabled={thread.loadingOlder}
            onClick={() => void loadOlder(store)}
          >
            {thread.loadingOlder ? "Loading…" : "Show older emails"}
          </button>
        )}
        {thread.loading && !thread.emails.length && <div class="email-card sk-card" />}
        {thread.emails.map((e) => (
          <EmailCard
            key={e.id}
            email={e}
            timeZone={store.timeZone.value}
            names={{ [conv.contact]: props.label }}
          />
        ))}
        {thread.error && <p class="thread-error" role="alert">{thread.error}</p>}
      </div>
    </section>
  );
}

/** The other side's name, a link to their contact page when they are a saved contact. */
function ContactName(props: { conv: Conversation | null; label: string }) {
  const id = props.conv?.contact_id;
  if (!id) return <>{props.label}</>;
  return <a class="title-link" href={`/contacts/${id}`} title="Open contact">{props.label}</a>;
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
    labels: props.labels,
    latestEventId: props.latestEventId,
    defaultCountry: props.defaultCountry,
    timeZone: props.timeZone,
    now: props.now,
    csrfToken: props.csrfToken,
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
    : channel === "sms"
    ? phoneLabel(store, address)
    : address;
  const simulator = store.settings.sandbox && channel === "sms" && !!thread.conversationId;
  const out = store.optOut.value;
  const optOut = channel === "sms" && out && out.conversationId === thread.conversationId
    ? out
    : null;

  return (
    <main class={`stage is-front${channel === "email" ? " is-email" : ""}`} id="main">
      {channel === "email" && conv
        ? <EmailPane store={store} conv={conv} thread={thread} label={label} />
        : (
          <div class="phone-wrap">
            <section class="phone" aria-label={`Conversation with ${label}`}>
              <header class="phone-head">
                <BackButton store={store} />
                <Avatar label={label} address={address} channel={channel} size="sm" />
                <div class="phone-title">
                  <h1>
                    <ContactName conv={conv} label={label} />
                  </h1>
                  <p>
                    <ChannelIcon channel={channel} size={12} /> {channel === "sms"
                      ? (conv?.contact_name ? `SMS · ${phoneLabel(store, address)}` : "SMS")
                      : "In-app chat"}
                    {conv
                      ? ` · ${conv.message_count} ${
                        conv.message_count === 1 ? "message" : "messages"
                      }`
                      : " · new conversation"}
                  </p>
                </div>
                {(simulator || (conv && channel === "sms")) && (
                  <button
                    type="button"
                    class="icon-button details-toggle"
                    aria-label={simulator ? "Sandbox simulator" : "Contact details"}
                    aria-expanded={detailsOpen}
                    onClick={() => setDetailsOpen(!detailsOpen)}
                  >
                    {simulator ? <IconFlask size={18} /> : <IconPerson size={18} />}
                  </button>
                )}
              </header>
              {optOut && <OptOutBanner optOut={optOut} timeZone={store.timeZone.value} />}
              <ThreadView
                thread={thread}
                theirName={label}
                now={store.now.value}
                timeZone={store.timeZone.value}
                onRetry={(m) => void retryMessage(store, m)}
                onLoadOlder={() => void loadOlder(store)}
                empty={
                  <div class="thread-empty">
                    <Avatar label={label} address={address} size="lg" />
                    <p class="thread-empty-title">{label}</p>
                    <p>
                      {channel === "sms"
                        ? "No messages yet. Your first text starts the conversation."
                        : "No messages yet. Chat messages stay in Hatch."}
                    </p>
                  </div>
                }
              />
              <Composer
                key={thread.conversationId ?? `draft:${address}`}
                channel={channel === "chat" ? "chat" : "sms"}
                placeholder={channel === "sms" ? "Text message" : "Chat message"}
                onSend={(text) => void sendMessage(store, text)}
                disabled={optOut
                  ? `Can't text ${label}: they replied ${optOut.keyword.toUpperCase()}`
                  : undefined}
              />
            </section>
          </div>
        )}
      <Details
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
