// The scrolling list of bubbles. The scroller is a reversed flex column, so the browser keeps
// the view pinned to the newest message by itself (also before any script runs) and loading
// older messages above does not move what the reader sees; the one case left to us is a new
// message arriving while the reader is up in the history: we hold the view still there.
import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { LocalMessage, Thread } from "@/lib/client/store.ts";
import type { Note } from "@/lib/shared/types.ts";
import { dayKey, dayLabel } from "@/lib/shared/time.ts";
import { senderWords } from "@/lib/shared/sender.ts";
import { DaySeparator, isFailed, MessageBubble } from "./MessageBubble.tsx";

const RUN_GAP_MS = 5 * 60_000;
const NEAR_BOTTOM_PX = 48;
const NEAR_TOP_PX = 240;

/** The thread's messages with day separators, paging older ones in on scroll up. */
export function ThreadView(props: {
  thread: Thread;
  theirName: string;
  /** The reader's user id: their sends say "You", a colleague's their name. */
  me: string | null;
  now: number;
  timeZone: string;
  onRetry: (m: LocalMessage) => void;
  onLoadOlder: () => void;
  empty: ComponentChildren;
  /** Notes and system lines, oldest first, placed among the messages by time. */
  notes?: Note[];
  renderNote?: (n: Note) => ComponentChildren;
}) {
  const { thread, timeZone } = props;
  const messages = thread.messages;
  const scroller = useRef<HTMLDivElement>(null);
  const lastId = messages[messages.length - 1]?.id;
  const memo = useRef({ lastId, height: 0, fromBottom: 0, conversation: thread.conversationId });
  const [unseen, setUnseen] = useState(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const m = memo.current;
    const last = messages[messages.length - 1];
    if (m.conversation !== thread.conversationId) {
      m.conversation = thread.conversationId;
      el.scrollTop = 0;
      setUnseen(0);
    } else if (last && last.id !== m.lastId) {
      const grew = el.scrollHeight - m.height;
      if (last.direction === "outbound" && last.local) {
        el.scrollTop = 0;
        setUnseen(0);
      } else if (m.fromBottom > NEAR_BOTTOM_PX && grew > 0) {
        // Reading older messages: keep the same ones in view, and say something arrived.
        el.scrollTop -= grew;
        setUnseen((n) => n + 1);
      }
    }
    m.lastId = last?.id;
    m.height = el.scrollHeight;
    m.fromBottom = Math.abs(el.scrollTop);
  });

  // A first page too short to scroll can never be scrolled up: fetch older ones right away.
  useEffect(() => {
    const el = scroller.current;
    if (
      el && thread.cursor && !thread.loading && el.scrollHeight <= el.clientHeight + NEAR_TOP_PX
    ) {
      props.onLoadOlder();
    }
  }, [thread.cursor, thread.loading, messages.length]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const fromBottom = Math.abs(el.scrollTop);
    memo.current.fromBottom = fromBottom;
    memo.current.height = el.scrollHeight;
    if (fromBottom <= NEAR_BOTTOM_PX && unseen) setUnseen(0);
    if (el.scrollHeight - el.clientHeight - fromBottom < NEAR_TOP_PX) props.onLoadOlder();
  };

  const lastOutbound = [...messages].reverse().find((m) => m.direction === "outbound");
  const nodes: ComponentChildren[] = [];
  // Notes older than the loaded page wait until paging brings their messages.
  const oldest = thread.cursor && messages[0] ? Date.parse(messages[0].timestamp) : -Infinity;
  const notes = (props.notes ?? []).filter((n) => Date.parse(n.created_at) >= oldest);
  let ni = 0;
  const notesBefore = (ts: number) => {
    while (ni < notes.length && Date.parse(notes[ni].created_at) < ts) {
      const n = notes[ni++];
      nodes.push(<div key={`n-${n.id}`} class="thread-note">{props.renderNote?.(n)}</div>);
    }
  };
  let prevDay = "";
  messages.forEach((m, i) => {
    notesBefore(Date.parse(m.timestamp));
    const day = dayKey(m.timestamp, timeZone);
    if (day !== prevDay) {
      nodes.push(
        <DaySeparator
          key={`d-${day}`}
          label={dayLabel(m.timestamp, new Date(props.now), timeZone)}
        />,
      );
    }
    const prev = messages[i - 1];
    const next = messages[i + 1];
    const joins = (a?: LocalMessage, b?: LocalMessage) =>
      !!a && !!b && a.direction === b.direction &&
      (a.sent_by?.user_id ?? null) === (b.sent_by?.user_id ?? null) &&
      Math.abs(Date.parse(b.timestamp) - Date.parse(a.timestamp)) < RUN_GAP_MS &&
      dayKey(a.timestamp, timeZone) === dayKey(b.timestamp, timeZone);
    nodes.push(
      <MessageBubble
        key={m.local ? m.local.key : m.id}
        m={m}
        sender={m.direction === "outbound"
          ? (m.local ? "You" : senderWords(m.sent_by, props.me))
          : props.theirName}
        first={!joins(prev, m)}
        last={!joins(m, next)}
        showStatusWords={m === lastOutbound && !isFailed(m)}
        timeZone={timeZone}
        onRetry={props.onRetry}
      />,
    );
    prevDay = day;
  });
  notesBefore(Infinity);

  return (
    <div class="thread">
      <div
        class="thread-scroll"
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        role="log"
        aria-label={`Messages with ${props.theirName}`}
      >
        <div class="thread-inner">
          {thread.cursor && (
            <div class="thread-older" aria-hidden={!thread.loadingOlder}>
              {thread.loadingOlder ? <span class="spinner" /> : null}
            </div>
          )}
          {thread.loading && !messages.length
            ? <ThreadSkeleton />
            : messages.length || notes.length
            ? nodes
            : props.empty}
          {thread.error && <p class="callout thread-error" role="alert">{thread.error}</p>}
        </div>
      </div>
      {unseen > 0 && (
        <button
          type="button"
          class="new-pill"
          onClick={() => {
            if (scroller.current) scroller.current.scrollTop = 0;
            setUnseen(0);
          }}
        >
          {unseen === 1 ? "1 new message" : `${unseen} new messages`} ↓
        </button>
      )}
    </div>
  );
}

function ThreadSkeleton() {
  return (
    <div class="skeleton" aria-label="Loading messages">
      <span class="sk sk-in" style={{ width: "58%" }} />
      <span class="sk sk-in" style={{ width: "36%" }} />
      <span class="sk sk-out" style={{ width: "64%" }} />
      <span class="sk sk-in" style={{ width: "44%" }} />
      <span class="sk sk-out" style={{ width: "30%" }} />
    </div>
  );
}
