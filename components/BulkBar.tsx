// Above the list while conversations are ticked: close, assign or label them all at once.
import { useState } from "preact/hooks";
import type { Store } from "@/lib/client/store.ts";
import { nameOf } from "@/lib/client/team_store.ts";
import { type Change, changeSelected } from "@/lib/client/team_actions.ts";
import { errorWords } from "@/lib/client/api.ts";

/** The bulk actions for the ticked conversations (nothing while none is ticked). */
export function BulkBar(props: { store: Store }) {
  const { store } = props;
  const team = store.team;
  const [error, setError] = useState<string | null>(null);
  const n = team.selected.value.length;
  if (!n) return null;
  const run = (change: Change) => {
    setError(null);
    changeSelected(store, change).catch((e) => setError(errorWords(e)));
  };
  return (
    <div class="bulk-bar" role="toolbar" aria-label="Bulk actions">
      <span class="bulk-count">{n} selected</span>
      <button
        type="button"
        class="button button-secondary button-small"
        onClick={() => run({ state: "closed" })}
      >
        Close
      </button>
      <label class="sr-only" for="bulk-assign">Assign selected to</label>
      <select
        id="bulk-assign"
        class="team-select"
        value="-"
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (v !== "-") run({ assignee_id: v || null });
        }}
      >
        <option value="-">Assign…</option>
        <option value="">Unassigned</option>
        {team.teammates.value.map((u) => (
          <option key={u.id} value={u.id}>{nameOf(team, u.id)}</option>
        ))}
      </select>
      {team.labels.value.length > 0 && (
        <>
          <label class="sr-only" for="bulk-label">Label selected</label>
          <select
            id="bulk-label"
            class="team-select"
            value=""
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (v) run({ add_label_ids: [v] });
            }}
          >
            <option value="">Label…</option>
            {team.labels.value.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
          </select>
        </>
      )}
      <button
        type="button"
        class="link-button"
        onClick={() => team.selected.value = []}
      >
        Clear
      </button>
      {error && <p class="callout callout-small" role="alert">{error}</p>}
    </div>
  );
}
