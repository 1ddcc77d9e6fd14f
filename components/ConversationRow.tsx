// One row of the conversation list: who, which channel, the last words, when, how many.
import type { Conversation } from "@/lib/shared/types.ts";
import { listTime } from "@/lib/shared/time.ts";
import { senderWords } from "@/lib/shared/sender.ts";
import { Avatar, CHANNEL_NAMES } from "./Avatar.tsx";
import { IconAlert, IconChat } from "./Icons.tsx";
import { MateAvatar } from "./TeamBar.tsx";

/** A conversation in the list, as a link to it (so it works before the islands load, too). */
export function ConversationRow(props: {
  conversation: Conversation;
  label: string;
  selected: boolean;
  now: number;
  timeZone: string;
  /** The reader's user id: their own last send reads "You:", a colleague's their name. */
  me: string | null;
  /** The list's one Tab stop (arrow keys move between rows): Tab passes the list in one step. */
  tabStop?: boolean;
  onOpen: (id: string) => void;
  /** The teammate it is assigned to, whose avatar the row shows. */
  assignee?: { id: string; name: string } | null;
  /** Ticked for a bulk action. */
  selection?: { checked: boolean; onToggle: () => void };
}) {
  const c = props.conversation;
  const unread = c.unread_count > 0;
  // Email previews lead with the subject, unless the server's preview already does.
  const preview = c.channel === "email" && c.subject && !c.last_message.startsWith(c.subject)
    ? c.subject + (c.last_message ? ` — ${c.last_message}` : "")
    : c.last_message;
  const count = `${c.message_count} ${c.message_count === 1 ? "message" : "messages"}`;
  return (
    <li class={props.selection?.checked ? "is-ticked" : undefined}>
      <a
        href={`/?c=${c.id}`}
        class={`row${props.selected ? " is-selected" : ""}${unread ? " is-unread" : ""}`}
        aria-current={props.selected ? "page" : undefined}
        tabIndex={props.tabStop === false ? -1 : undefined}
        data-conversation={c.id}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          props.onOpen(c.id);
        }}
      >
        <Avatar label={props.label} address={c.contact} channel={c.channel} />
        <span class="row-main">
          <span class="row-top">
            <span class="row-name">{props.label}</span>
            {props.assignee && <MateAvatar id={props.assignee.id} name={props.assignee.name} />}
            <time class="row-time" dateTime={c.last_message_time}>
              {listTime(c.last_message_time, new Date(props.now), props.timeZone)}
            </time>
          </span>
          <span class="row-bottom">
            <span class="row-preview">
              {c.last_direction === "outbound" && (
                <span class="row-you">{senderWords(c.last_sender, props.me)}:</span>
              )}
              {preview || <em>No messages yet</em>}
            </span>
            {c.last_failed && (
              <span class="row-failed" title="The last message was not delivered">
                <IconAlert size={12} /> Not sent
              </span>
            )}
            {unread
              ? (
                <span class="unread-badge" aria-label={`${c.unread_count} unread`}>
                  {c.unread_count > 99 ? "99+" : c.unread_count}
                </span>
              )
              : (
                <span class="row-count" title={count} aria-label={count}>
                  <IconChat size={11} />
                  {c.message_count}
                </span>
              )}
          </span>
          <span class="sr-only">{`${CHANNEL_NAMES[c.channel]} conversation, ${count}`}</span>
        </span>
      </a>
      {/* After the link: Tab from the filter reaches the rows first. */}
      {props.selection && (
        <input
          type="checkbox"
          class="row-tick"
          tabIndex={props.tabStop === false ? -1 : undefined}
          aria-label={`Select ${props.label}`}
          checked={props.selection.checked}
          onChange={props.selection.onToggle}
        />
      )}
    </li>
  );
}
