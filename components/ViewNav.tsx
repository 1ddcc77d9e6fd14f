// The sidebar's views: Mine, Unassigned, All open, Snoozed, Closed and one per label, each
// with its live count; plain links (the address holds the view), switched in place by script.
// Beside them, the bell that turns this user's notifications on or off.
import type { Store } from "@/lib/client/store.ts";
import type { ViewState } from "@/lib/client/team_store.ts";
import { setNotify, setView } from "@/lib/client/team_actions.ts";
import { viewHref } from "@/lib/client/team_views.ts";
import type { ConversationView } from "@/lib/shared/types.ts";

const VIEWS: { view: ConversationView; name: string; key: keyof Counts }[] = [
  { view: "mine", name: "Mine", key: "mine" },
  { view: "unassigned", name: "Unassigned", key: "unassigned" },
  { view: "open", name: "All open", key: "open" },
  { view: "snoozed", name: "Snoozed", key: "snoozed" },
  { view: "closed", name: "Closed", key: "closed" },
];
type Counts = { mine: number; unassigned: number; open: number; snoozed: number; closed: number };

function ViewLink(props: {
  store: Store;
  target: ViewState;
  name: string;
  count: number | undefined;
  color?: string;
}) {
  const { store, target } = props;
  const current = store.team.view.value;
  const here = current.view === target.view && current.label === target.label;
  return (
    <li>
      <a
        href={viewHref(target)}
        class={`view-link${here ? " is-current" : ""}`}
        aria-current={here ? "page" : undefined}
        data-view={target.label ? `label:${target.label}` : target.view}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          void setView(store, target);
        }}
      >
        {props.color && <span class="label-dot" style={{ background: props.color }} />}
        <span class="view-name">{props.name}</span>
        <span class="view-count" data-count={props.count ?? ""}>{props.count ?? ""}</span>
      </a>
    </li>
  );
}

/** The views with their counts, and the notifications switch. */
export function ViewNav(props: { store: Store }) {
  const { store } = props;
  const counts = store.team.counts.value;
  const notify = store.team.notify.value;
  return (
    <nav class="views" aria-label="Views">
      <ul class="view-list">
        {VIEWS.map((v) => (
          <ViewLink
            key={v.view}
            store={store}
            target={{ view: v.view, label: null }}
            name={v.name}
            count={counts?.[v.key]}
          />
        ))}
      </ul>
      {store.team.labels.value.length > 0 && (
        <ul class="view-list view-labels" aria-label="Labels">
          {store.team.labels.value.map((l) => (
            <ViewLink
              key={l.id}
              store={store}
              target={{ view: "open", label: l.id }}
              name={l.name}
              color={l.color}
              count={counts ? counts.labels[l.id] ?? 0 : undefined}
            />
          ))}
        </ul>
      )}
      <button
        type="button"
        class="link-button notify-toggle"
        aria-pressed={notify}
        onClick={() => void setNotify(store, !notify).catch(() => {})}
      >
        {notify ? "Notifications on" : "Turn on notifications"}
      </button>
    </nav>
  );
}

/** The last notification, in the page (dismissed by a click, or by the next one). */
export function TeamToast(props: { store: Store }) {
  const toast = props.store.team.toast.value;
  if (!toast) return null;
  return (
    <div class="team-toast" role="status">
      <span>{toast}</span>
      <button
        type="button"
        class="link-button"
        aria-label="Dismiss"
        onClick={() => props.store.team.toast.value = null}
      >
        ×
      </button>
    </div>
  );
}
