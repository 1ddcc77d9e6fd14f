// A contact's avatar: initials on a colour of their own, or a person for a bare number,
// with the conversation's channel as a small badge.
import { hueOf, initials } from "@/lib/shared/address.ts";
import type { Channel } from "@/lib/shared/types.ts";
import { IconChat, IconMail, IconPerson, IconSms } from "./Icons.tsx";

/** The icon of a channel. */
export function ChannelIcon(props: { channel: Channel; size?: number }) {
  const size = props.size ?? 12;
  if (props.channel === "email") return <IconMail size={size} />;
  if (props.channel === "chat") return <IconChat size={size} />;
  return <IconSms size={size} />;
}

/** The words for a channel. */
export const CHANNEL_NAMES: Record<Channel, string> = {
  sms: "SMS",
  chat: "Chat",
  email: "Email",
};

/** A round avatar for a contact; `channel` adds the channel badge. */
export function Avatar(
  props: { label: string; address: string; channel?: Channel; size?: "sm" | "md" | "lg" },
) {
  const letters = initials(props.label);
  const hue = hueOf(props.address);
  return (
    <span
      class={`avatar avatar-${props.size ?? "md"}`}
      style={{ "--hue": String(hue) }}
      aria-hidden="true"
    >
      {letters ?? <IconPerson size={props.size === "lg" ? 22 : 17} />}
      {props.channel && (
        <span class={`avatar-badge badge-${props.channel}`}>
          <ChannelIcon channel={props.channel} size={10} />
        </span>
      )}
    </span>
  );
}
