// The "Messages" section under the filtered conversation list: texts and emails whose words
// match the filter, each a link to its conversation with the matched words marked.
import type { Hit, SearchState } from "@/lib/shared/types.ts";
import { markMatches } from "@/lib/shared/search_text.ts";
import { fullTime, listTime } from "@/lib/shared/time.ts";
import { senderWords } from "@/lib/shared/sender.ts";
import { Avatar } from "./Avatar.tsx";

/** Text with the searched words wrapped in <mark> (as elements: text is never parsed as HTML). */
export function Marked(props: { text: string; q: string }) {
  return (
    <>
      {markMatches(props.text, props.q).map((p, i) =>
        p.hit ? <mark key={i}>{p.text}</mark> : p.text
      )}
    </>
  );
}

function HitRow(props: {
  hit: Hit;
  q: string;
  label: string;
  now: number;
  timeZone: string;
  me: string | null;
  onOpen: (hit: Hit) => void;
}) {
  const { hit } = props;
  return (
    <li>
      <a
        href={`/?c=${hit.conversation_id}`}
        class="row hit"
        data-result={hit.id}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          props.onOpen(hit);
        }}
      >
        <Avatar label={props.label} address={hit.address} channel={hit.channel} size="sm" />
        <span class="row-main">
          <span class="row-top">
            <span class="row-name">{props.label}</span>
            <time
              class="row-time"
              dateTime={hit.timestamp}
              title={fullTime(hit.timestamp, props.timeZone)}
            >
              {listTime(hit.timestamp, new Date(props.now), props.timeZone)}
            </time>
          </span>
          {hit.subject !== null && (
            <span class="hit-subject">
              <Marked text={hit.subject || "(no subject)"} q={props.q} />
            </span>
          )}
          <span class="hit-text">
            {hit.direction === "outbound" && (
              <span class="row-you">{senderWords(hit.sender, props.me)}:</span>
            )}
            <Marked text={hit.text} q={props.q} />
          </span>
        </span>
      </a>
    </li>
  );
}

/** The search results section; `label` names the other side of a hit's conversation. */
export function SearchResults(props: {
  state: SearchState;
  label: (hit: Hit) => string;
  now: number;
  timeZone: string;
  /** The reader's user id: their own sends read "You:". */
  me: string | null;
  onOpen: (hit: Hit) => void;
  onMore: () => void;
}) {
  const s = props.state;
  return (
    <section class="hits" aria-labelledby="hits-title" aria-busy={s.loading}>
      <h2 class="rows-heading" id="hits-title">
        Messages
        {s.loading && <span class="spinner spinner-sm" aria-label="Searching" />}
      </h2>
      {s.error
        ? <p class="rows-none is-error" role="alert">{s.error}</p>
        : !s.hits.length && !s.loading
        ? <p class="rows-none">No messages or emails contain “{s.q}”</p>
        : null}
      <ul class="rows">
        {s.hits.map((h) => (
          <HitRow
            key={h.id}
            hit={h}
            q={s.q}
            label={props.label(h)}
            now={props.now}
            timeZone={props.timeZone}
            me={props.me}
            onOpen={props.onOpen}
          />
        ))}
      </ul>
      {s.cursor && (
        <button
          type="button"
          class="button button-ghost hits-more"
          disabled={s.loading}
          onClick={props.onMore}
        >
          More results
        </button>
      )}
    </section>
  );
}
