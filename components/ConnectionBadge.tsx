// Whether the page is receiving live changes.
import type { ConnectionState } from "@/lib/client/store.ts";

const WORDS: Record<ConnectionState, string> = {
  connecting: "Connecting",
  live: "Live",
  reconnecting: "Reconnecting…",
};

/** A dot and a word: live, connecting, or reconnecting. */
export function ConnectionBadge(props: { state: ConnectionState }) {
  return (
    <span
      class={`conn conn-${props.state}`}
      role="status"
      data-connection={props.state}
      title={props.state === "live"
        ? "Changes appear as they happen"
        : "Changes will appear when the connection is back"}
    >
      <span class="conn-dot" aria-hidden="true" />
      {WORDS[props.state]}
    </span>
  );
}
