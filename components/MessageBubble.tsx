// A message in the thread: a bubble on the left (theirs) or right (ours), with its time and,
// for ours, where delivery stands; a failed one says why and offers to send it again.
import type { ComponentChildren } from "preact";
import type { LocalMessage } from "@/lib/client/store.ts";
import { clockTime, fullTime } from "@/lib/shared/time.ts";
import { STATUS_WORDS } from "@/lib/shared/types.ts";
import { isPermanentFailure } from "@/lib/shared/delivery_words.ts";
import { IconAlert, IconCheck, IconChecks, IconClock, IconRetry } from "./Icons.tsx";

const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]}]/gi;

/** Text with its web addresses made into links (built as elements: text is never parsed as HTML). */
export function Linkified(props: { text: string }): ComponentChildren {
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const m of props.text.matchAll(URL_RE)) {
    if (m.index > last) parts.push(props.text.slice(last, m.index));
    parts.push(
      <a href={m[0]} target="_blank" rel="noopener noreferrer nofollow">{m[0]}</a>,
    );
    last = m.index + m[0].length;
  }
  if (last < props.text.length) parts.push(props.text.slice(last));
  return parts;
}

// What each carrier keyword did, for the chip's tooltip.
const KEYWORD_WORDS: Record<string, string> = {
  stop: "Opted out of texts",
  start: "Opted back in to texts",
  help: "Asked for help: the carrier answers with your help message",
};

/** Whether a message needs the reader's attention: refused here, or failed at the provider. */
export function isFailed(m: LocalMessage): boolean {
  return m.local?.state === "error" || m.status === "failed" || m.status === "undelivered";
}

function StatusMark(props: { m: LocalMessage; showWords: boolean }) {
  const { m } = props;
  if (m.local?.state === "sending") {
    return (
      <span class="status status-pending" title="Sending">
        <IconClock size={13} />
        {props.showWords && <span>Sending…</span>}
      </span>
    );
  }
  if (isFailed(m)) return null;
  const words = STATUS_WORDS[m.status] ?? m.status;
  const icon = m.status === "delivered"
    ? <IconChecks size={14} />
    : m.status === "sent"
    ? <IconCheck size={13} />
    : <IconClock size={13} />;
  return (
    <span class={`status status-${m.status}`} title={words} data-status={m.status}>
      {icon}
      {props.showWords && <span>{words}</span>}
    </span>
  );
}

/** One bubble; `first` starts a run from one sender (their name shows), `last` ends it. */
export function MessageBubble(props: {
  m: LocalMessage;
  sender: string;
  first: boolean;
  last: boolean;
  showStatusWords: boolean;
  timeZone: string;
  onRetry: (m: LocalMessage) => void;
}) {
  const { m } = props;
  const ours = m.direction === "outbound";
  const failed = ours && isFailed(m);
  const reason = m.local?.error ?? m.error_message ??
    (m.error_code ? `Error ${m.error_code}` : "The provider gave no reason");
  return (
    <div
      class={`msg ${ours ? "msg-out" : "msg-in"}${props.first ? " is-first" : ""}${
        props.last ? " is-last" : ""
      }${failed ? " is-failed" : ""}`}
      data-message={m.id}
      data-status={m.local ? `local-${m.local.state}` : m.status}
    >
      {props.first && <div class="msg-sender">{props.sender}</div>}
      <div class="bubble">
        {m.media.map((media) =>
          media.content_type?.startsWith("image/")
            ? (
              <a href={media.url} target="_blank" rel="noopener noreferrer" class="media">
                <img src={media.url} alt="Attached image" loading="lazy" />
              </a>
            )
            : (
              <a href={media.url} target="_blank" rel="noopener noreferrer" class="media-file">
                {media.content_type || "Attachment"}
              </a>
            )
        )}
        {m.body && (
          <p class="bubble-text">
            <Linkified text={m.body} />
          </p>
        )}
      </div>
      <div class="msg-meta">
        <time dateTime={m.timestamp} title={fullTime(m.timestamp, props.timeZone)}>
          {clockTime(m.timestamp, props.timeZone)}
        </time>
        {ours && <StatusMark m={m} showWords={props.showStatusWords} />}
        {m.keyword && (
          <span
            class={`keyword-chip keyword-${m.keyword}`}
            title={KEYWORD_WORDS[m.keyword] ?? undefined}
          >
            {m.keyword.toUpperCase()}
          </span>
        )}
      </div>
      {failed && (
        <div class="callout callout-small msg-error" role="alert">
          <IconAlert size={14} />
          <span class="msg-error-text">
            {m.local ? "Not sent: " : "Failed: "}
            {reason}
            {m.error_code && !m.local && m.error_message ? ` (${m.error_code})` : ""}
          </span>
          {(m.local || !isPermanentFailure(m.error_code)) && (
            <button
              type="button"
              class="link-button"
              onClick={() => props.onRetry(m)}
            >
              <IconRetry size={13} /> Retry
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** A day's heading in the thread. */
export function DaySeparator(props: { label: string }) {
  return (
    <div class="day-separator" role="separator">
      <span>{props.label}</span>
    </div>
  );
}
