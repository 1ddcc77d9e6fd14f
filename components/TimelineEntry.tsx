// One entry of a contact's timeline: which channel, which way, when, where delivery stands, and
// the words (an email's subject first); a link to the conversation it belongs to.
import type { Entry } from "@/lib/shared/types.ts";
import { clockTime, fullTime } from "@/lib/shared/time.ts";
import { STATUS_WORDS } from "@/lib/shared/types.ts";
import { CHANNEL_NAMES, ChannelIcon } from "./Avatar.tsx";
import { IconAlert, IconArrowIn, IconArrowOut } from "./Icons.tsx";

/** A timeline entry; `address` is the contact's number or address as people read it. */
export function TimelineEntry(props: { entry: Entry; address: string; timeZone: string }) {
  const e = props.entry;
  const inbound = e.direction === "inbound";
  const failed = e.status === "failed" || e.status === "undelivered";
  return (
    <li
      class={`tl-entry is-${e.direction} is-${e.channel}${failed ? " is-failed" : ""}`}
      data-entry={e.id}
      data-kind={e.kind}
    >
      <span class="tl-dot" aria-hidden="true">
        <ChannelIcon channel={e.channel} size={14} />
      </span>
      <a class="tl-card" href={`/?c=${e.conversation_id}`}>
        <span class="tl-meta">
          <span class="tl-channel">{CHANNEL_NAMES[e.channel]}</span>
          <span class="tl-dir">
            {inbound ? <IconArrowIn size={13} /> : <IconArrowOut size={13} />}
            {inbound ? "Received from " : "Sent to "}
            <span class="tl-address">{props.address}</span>
          </span>
          <time
            class="tl-time"
            dateTime={e.timestamp}
            title={fullTime(e.timestamp, props.timeZone)}
          >
            {clockTime(e.timestamp, props.timeZone)}
          </time>
          <span class={`chip status-chip status-${e.status}`} data-status={e.status}>
            {STATUS_WORDS[e.status] ?? e.status}
          </span>
        </span>
        {e.subject !== null && <span class="tl-subject">{e.subject || "(no subject)"}</span>}
        {e.text && <span class="tl-text">{e.text}</span>}
        {(e.attachments > 0 || e.keyword) && (
          <span class="tl-extra">
            {e.keyword && (
              <span class={`keyword-chip keyword-${e.keyword}`}>{e.keyword.toUpperCase()}</span>
            )}
            {e.attachments > 0 && (
              <span class="chip">
                {e.attachments} {e.kind === "email"
                  ? (e.attachments === 1 ? "attachment" : "attachments")
                  : (e.attachments === 1 ? "picture" : "pictures")}
              </span>
            )}
          </span>
        )}
        {failed && e.error && (
          <span class="callout tl-error">
            <IconAlert size={13} /> {e.error}
          </span>
        )}
      </a>
    </li>
  );
}
