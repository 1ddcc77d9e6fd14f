// Stroke icons drawn inline (no icon font, no requests); each is decorative unless labelled.
import type { ComponentChildren } from "preact";

function Svg(props: { size?: number; children: ComponentChildren; class?: string }) {
  const size = props.size ?? 18;
  return (
    <svg
      class={props.class ? `icon ${props.class}` : "icon"}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {props.children}
    </svg>
  );
}

type IconProps = { size?: number; class?: string };

/** A phone handset: SMS. */
export const IconSms = (p: IconProps) => (
  <Svg {...p}>
    <rect x="6" y="2.5" width="12" height="19" rx="2.5" />
    <path d="M10.5 18.5h3" />
  </Svg>
);

/** Two speech bubbles: in-app chat. */
export const IconChat = (p: IconProps) => (
  <Svg {...p}>
    <path d="M14 9.5a5 5 0 0 0-5-5H8a5 5 0 0 0-5 5c0 1.2.4 2.3 1.1 3.2L3.5 15.5l3.1-.9c.9.6 1.9.9 3 .9" />
    <path d="M21 14.5a4.5 4.5 0 0 0-4.5-4.5h-1a4.5 4.5 0 0 0 0 9h1c.8 0 1.5-.2 2.2-.6l2.3.6-.6-2.1c.4-.7.6-1.5.6-2.4Z" />
  </Svg>
);

/** An envelope: email. */
export const IconMail = (p: IconProps) => (
  <Svg {...p}>
    <rect x="3" y="5" width="18" height="14" rx="2.5" />
    <path d="m3.5 7 8.5 6 8.5-6" />
  </Svg>
);

/** An upward arrow in the send button. */
export const IconSend = (p: IconProps) => (
  <Svg {...p}>
    <path d="M12 19V5" />
    <path d="m6 11 6-6 6 6" />
  </Svg>
);

/** A pencil on a square: start something new. */
export const IconCompose = (p: IconProps) => (
  <Svg {...p}>
    <path d="M12 4H6.5A2.5 2.5 0 0 0 4 6.5v11A2.5 2.5 0 0 0 6.5 20h11a2.5 2.5 0 0 0 2.5-2.5V12" />
    <path d="M17.6 3.6a2 2 0 0 1 2.8 2.8L12 14.8l-3.6.8.8-3.6Z" />
  </Svg>
);

/** A magnifier. */
export const IconSearch = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="11" cy="11" r="6.5" />
    <path d="m20 20-4.2-4.2" />
  </Svg>
);

/** A back arrow. */
export const IconBack = (p: IconProps) => (
  <Svg {...p}>
    <path d="M15 5l-7 7 7 7" />
  </Svg>
);

/** A cross: close. */
export const IconClose = (p: IconProps) => (
  <Svg {...p}>
    <path d="M6 6l12 12M18 6 6 18" />
  </Svg>
);

/** One tick: sent. */
export const IconCheck = (p: IconProps) => (
  <Svg {...p}>
    <path d="m5 12.5 4.5 4.5L19 7.5" />
  </Svg>
);

/** Two ticks: delivered. */
export const IconChecks = (p: IconProps) => (
  <Svg {...p}>
    <path d="m2.5 12.5 4.5 4.5 9.5-9.5" />
    <path d="m12.5 16.5.5.5 9.5-9.5" />
  </Svg>
);

/** A clock: queued or sending. */
export const IconClock = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M12 7.5V12l3 2" />
  </Svg>
);

/** An exclamation in a circle: failed. */
export const IconAlert = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M12 7.5v5.5M12 16.5v.01" />
  </Svg>
);

/** A circular arrow: retry. */
export const IconRetry = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 12a8 8 0 0 1 13.7-5.6L20 8.5" />
    <path d="M20 4v4.5h-4.5" />
    <path d="M20 12a8 8 0 0 1-13.7 5.6L4 15.5" />
    <path d="M4 20v-4.5h4.5" />
  </Svg>
);

/** A curved arrow: reply. */
export const IconReply = (p: IconProps) => (
  <Svg {...p}>
    <path d="M9 14 4 9l5-5" />
    <path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H12" />
  </Svg>
);

/** A flask: the sandbox simulator. */
export const IconFlask = (p: IconProps) => (
  <Svg {...p}>
    <path d="M9.5 3h5M10 3v6L4.8 18.2A1.9 1.9 0 0 0 6.5 21h11a1.9 1.9 0 0 0 1.7-2.8L14 9V3" />
    <path d="M7.5 15h9" />
  </Svg>
);

/** A plus. */
export const IconPlus = (p: IconProps) => (
  <Svg {...p}>
    <path d="M12 5v14M5 12h14" />
  </Svg>
);

/** A person: a contact without a name. */
export const IconPerson = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="12" cy="8.5" r="3.8" />
    <path d="M4.5 20a7.5 7.5 0 0 1 15 0" />
  </Svg>
);

/** A gear: settings. */
export const IconSettings = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="12" cy="12" r="3" />
    <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1Z" />
  </Svg>
);

/** A key: API tokens. */
export const IconKey = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="15" r="4" />
    <path d="m10.8 12.2 8.7-8.7M16 7l2.5 2.5M18.5 4.5 21 7" />
  </Svg>
);

/** A shield with a tick: sign-in security. */
export const IconShield = (p: IconProps) => (
  <Svg {...p}>
    <path d="M12 3 5 6v5.5c0 4.3 2.9 8.2 7 9.5 4.1-1.3 7-5.2 7-9.5V6Z" />
    <path d="m9 12 2 2 4-4" />
  </Svg>
);

/** Two people: the team's users. */
export const IconUsers = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="9" cy="8.5" r="3.5" />
    <path d="M2.5 20a6.5 6.5 0 0 1 13 0" />
    <path d="M16 5.2a3.5 3.5 0 0 1 0 6.6M18.5 14.3A6.5 6.5 0 0 1 21.5 20" />
  </Svg>
);

/** A list with a clock: the audit log. */
export const IconHistory = (p: IconProps) => (
  <Svg {...p}>
    <path d="M3.5 12a8.5 8.5 0 1 0 2.5-6L3.5 8.5" />
    <path d="M3.5 4v4.5H8" />
    <path d="M12 7.5V12l3 2" />
  </Svg>
);

/** Two overlapping sheets: copy. */
export const IconCopy = (p: IconProps) => (
  <Svg {...p}>
    <rect x="8.5" y="8.5" width="12" height="12" rx="2.5" />
    <path d="M15.5 8.5V6a2.5 2.5 0 0 0-2.5-2.5H6A2.5 2.5 0 0 0 3.5 6v7A2.5 2.5 0 0 0 6 15.5h2.5" />
  </Svg>
);

/** Hatch's mark: a speech bubble hatching from an egg-like shape. */
export const Logo = (p: IconProps) => (
  <svg
    class={p.class ? `logo ${p.class}` : "logo"}
    width={p.size ?? 26}
    height={p.size ?? 26}
    viewBox="0 0 32 32"
    aria-hidden="true"
  >
    <rect width="32" height="32" rx="9" fill="var(--accent)" />
    <path
      d="M9 11.5A3.5 3.5 0 0 1 12.5 8h7A3.5 3.5 0 0 1 23 11.5v5a3.5 3.5 0 0 1-3.5 3.5H15l-4.2 3.4c-.5.4-1.1 0-1.1-.6V20A3.5 3.5 0 0 1 9 16.5Z"
      fill="#fff"
    />
    <path
      d="m12.5 14 2.2-2 2 2 2.3-2"
      fill="none"
      stroke="var(--accent)"
      stroke-width="1.6"
      stroke-linecap="round"
      stroke-linejoin="round"
    />
  </svg>
);

/** A tray: the inbox. */
export const IconInbox = (p: IconProps) => (
  <Svg {...p}>
    <path d="M3.5 13.5h4.8l1.4 2.5h4.6l1.4-2.5h4.8" />
    <path d="M6.2 5.5h11.6l2.7 8v4a2 2 0 0 1-2 2h-13a2 2 0 0 1-2-2v-4Z" />
  </Svg>
);

/** A bin: delete. */
export const IconTrash = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 7h16M9.5 7V4.5h5V7" />
    <path d="M6 7l1 12.5a1.5 1.5 0 0 0 1.5 1.5h7a1.5 1.5 0 0 0 1.5-1.5L18 7" />
  </Svg>
);

/** Two paths joining: merge. */
export const IconMerge = (p: IconProps) => (
  <Svg {...p}>
    <path d="M6 4v3.5a5 5 0 0 0 5 5h2a5 5 0 0 1 5 5V20" />
    <path d="M18 4v3.5a5 5 0 0 1-3 4.6" />
    <path d="m15 17 3 3 3-3" />
  </Svg>
);

/** An arrow coming in: received. */
export const IconArrowIn = (p: IconProps) => (
  <Svg {...p}>
    <path d="M17 7 7 17M7 9v8h8" />
  </Svg>
);

/** An arrow going out: sent. */
export const IconArrowOut = (p: IconProps) => (
  <Svg {...p}>
    <path d="M7 17 17 7M9 7h8v8" />
  </Svg>
);

/** A circle struck through: opted out. */
export const IconBlock = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="12" cy="12" r="8.5" />
    <path d="m6 6 12 12" />
  </Svg>
);
