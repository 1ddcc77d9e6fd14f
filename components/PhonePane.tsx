// An SMS or chat conversation in the pane, in the seed's phone frame: the header, the opt-out
// banner when the recipient replied STOP, the thread, and the composer (off while opted out).
import type { Channel, Conversation, OptOut } from "@/lib/shared/types.ts";
import type { Store, Thread } from "@/lib/client/store.ts";
import { phoneLabel } from "@/lib/client/labels.ts";
import { loadOlder } from "@/lib/client/actions.ts";
import { retryMessage, sendMessage } from "@/lib/client/send.ts";
import { optOutWords } from "@/lib/shared/delivery_words.ts";
import { ThreadView } from "./ThreadView.tsx";
import { Composer } from "./Composer.tsx";
import { contactValues } from "@/lib/shared/template.ts";
import { TeamBar } from "./TeamBar.tsx";
import { composerTeam, threadNotes } from "./TeamThread.tsx";
import { OptOutBanner } from "./OptOutBanner.tsx";
import { Avatar, ChannelIcon } from "./Avatar.tsx";
import { BackButton, ContactName } from "./PaneTitle.tsx";
import { IconFlask, IconPerson } from "./Icons.tsx";

/** The phone frame for the open SMS or chat thread (a saved conversation or a draft). */
export function PhonePane(props: {
  store: Store;
  /** The saved conversation; null for a draft to someone new. */
  conv: Conversation | null;
  thread: Thread;
  channel: Channel;
  label: string;
  address: string;
  /** Sandbox only: the details button opens the customer simulator. */
  simulator: boolean;
  optOut: OptOut | null;
  detailsOpen: boolean;
  onToggleDetails: () => void;
}) {
  const { store, conv, thread, channel, label, address, simulator, optOut } = props;
  const composerKey = thread.conversationId ?? `draft:${address}`;
  return (
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
                ? ` · ${conv.message_count} ${conv.message_count === 1 ? "message" : "messages"}`
                : " · new conversation"}
            </p>
          </div>
          {(simulator || (conv && channel === "sms")) && (
            <button
              type="button"
              class="icon-button details-toggle"
              aria-label={simulator ? "Sandbox simulator" : "Contact details"}
              aria-expanded={props.detailsOpen}
              onClick={props.onToggleDetails}
            >
              {simulator ? <IconFlask size={18} /> : <IconPerson size={18} />}
            </button>
          )}
        </header>
        {conv && <TeamBar store={store} conv={conv} />}
        {optOut && <OptOutBanner optOut={optOut} timeZone={store.timeZone.value} />}
        <ThreadView
          {...threadNotes(store, thread.conversationId)}
          thread={thread}
          theirName={label}
          me={store.settings.userId}
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
          key={composerKey}
          autoFocus={store.focusComposer.value === composerKey
            ? { onFocused: () => store.focusComposer.value = null }
            : undefined}
          channel={channel === "chat" ? "chat" : "sms"}
          placeholder={channel === "sms" ? "Text message" : "Chat message"}
          onSend={(text) => void sendMessage(store, text)}
          onSchedule={channel === "sms"
            ? (text, sendAt) => void sendMessage(store, text, sendAt)
            : undefined}
          timeZone={store.timeZone.value}
          contact={contactValues(conv?.contact_name ?? null, address)}
          note={composerTeam(store, thread.conversationId)}
          disabled={optOut
            ? `Can't text ${label}: ${optOutWords(optOut.keyword).short}`
            : undefined}
        />
      </section>
    </div>
  );
}
