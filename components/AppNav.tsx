// The sidebar's switch between Hatch's two places, the inbox and the contacts: plain links, so
// it works before any script runs, drawn as a segmented control.
import { IconInbox, IconUsers } from "./Icons.tsx";

/** Inbox | Contacts, with the current one marked; `unread` counts conversations with news. */
export function AppNav(props: { current: "inbox" | "contacts"; unread?: number }) {
  const item = (key: "inbox" | "contacts") =>
    `app-nav-item${props.current === key ? " is-current" : ""}`;
  return (
    <nav class="app-nav" aria-label="Sections">
      <a
        href="/"
        class={item("inbox")}
        aria-current={props.current === "inbox" ? "page" : undefined}
      >
        <IconInbox size={15} /> Inbox
        {props.unread ? <span class="app-nav-count">{props.unread}</span> : null}
      </a>
      <a
        href="/contacts"
        class={item("contacts")}
        aria-current={props.current === "contacts" ? "page" : undefined}
      >
        <IconUsers size={15} /> Contacts
      </a>
    </nav>
  );
}
