// Above the list while conversations are ticked: close, assign or label them all at once.
import { useState } from "preact/hooks";
import type { Store } from "@/lib/client/store.ts";
import { type Change, changeSelected } from "@/lib/client/team_actions.ts";
import { errorWords } from "@/lib/client/api.ts";
import { AssignSelect, LabelSelect } from "./TeamSelects.tsx";

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
      <AssignSelect
        id="bulk-assign"
        label="Assign selected to"
        team={team}
        value="-"
        prompt="Assign…"
        onPick={(assignee_id) => run({ assignee_id })}
      />
      {team.labels.value.length > 0 && (
        <LabelSelect
          id="bulk-label"
          label="Label selected"
          prompt="Label…"
          labels={team.labels.value}
          onPick={(id) => run({ add_label_ids: [id] })}
        />
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
