// The sidebar's switch between Hatch's places, the inbox, the contacts and the broadcasts: plain
// links, so it works before any script runs, drawn as a segmented control.
import { IconInbox, IconSend, IconUsers } from "./Icons.tsx";

/**
 * Inbox | Contacts | Broadcasts, with the current one marked (the broadcasts page has no
 * sidebar, so never that one); `unread` counts conversations with news.
 */
export function AppNav(props: { current: "inbox" | "contacts"; unread?: number }) {
  const item = (key: "inbox" | "contacts" | "broadcasts") =>
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
      <a href="/broadcasts" class={item("broadcasts")}>
        <IconSend size={15} /> Broadcasts
      </a>
    </nav>
  );
}
