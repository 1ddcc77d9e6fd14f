// The open conversation's details column: the other side's card and the facts of the
// conversation, the link to their saved contact, and in the sandbox the customer simulator.
import type { Conversation } from "@/lib/shared/types.ts";
import type { Store } from "@/lib/client/store.ts";
import { phoneLabel } from "@/lib/client/labels.ts";
import { simulateInbound } from "@/lib/client/send.ts";
import { fullTime } from "@/lib/shared/time.ts";
import { SandboxPanel } from "./SandboxPanel.tsx";
import { ContactActions } from "./ContactActions.tsx";
import { Avatar, CHANNEL_NAMES, ChannelIcon } from "./Avatar.tsx";

/** The column beside the open conversation: who it is with, its facts, the contact, and (sandbox) the simulator. */
export function ConversationDetails(props: {
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
          kind={props.channel === "email" ? "email" : "sms"}
          onSend={(body) => simulateInbound(store, body)}
        />
      )}
    </aside>
  );
}
