// The open conversation's team controls, under its header: who has it (assign to a teammate or
// me, unassign), where it stands (close, snooze, reopen), its labels, and who else is here
// ("Ben is viewing", "Ben is typing a reply…").
import { useState } from "preact/hooks";
import type { Store } from "@/lib/client/store.ts";
import { nameOf } from "@/lib/client/team_store.ts";
import { type Change, changeConversation } from "@/lib/client/team_actions.ts";
import { errorWords } from "@/lib/client/api.ts";
import type { Conversation } from "@/lib/shared/types.ts";
import { weekdayTime } from "@/lib/shared/time.ts";
import { hueOf, initials } from "@/lib/shared/address.ts";
import { LazyPickMenu, LazySnoozeMenu } from "./Lazy.tsx";
import { AssignSelect, LabelSelect, mateChoice } from "./TeamSelects.tsx";

/** A teammate's small round avatar (initials on their colour). */
export function MateAvatar(props: { name: string; id: string; size?: "xs" | "sm" }) {
  return (
    <span
      class={`mate-avatar mate-${props.size ?? "xs"}`}
      style={{ "--hue": String(hueOf(props.id)) }}
      title={props.name}
      aria-label={`Assigned to ${props.name}`}
      role="img"
    >
      {initials(props.name) ?? "?"}
    </span>
  );
}

/** Who else is in this conversation right now, in words. */
export function PresenceLine(props: { store: Store; conversationId: string }) {
  const here = Object.values(props.store.team.presence.value)
    .filter((p) => p.conversation_id === props.conversationId);
  if (!here.length) return <p class="presence" aria-live="polite" />;
  return (
    <p class="presence" aria-live="polite">
      {here.map((p) => (
        <span key={p.user_id} class={`presence-item is-${p.state}`}>
          {p.state === "typing" ? `${p.name} is typing a reply…` : `${p.name} is viewing`}
        </span>
      ))}
    </p>
  );
}

/** Assignee, state and labels of the open conversation. */
export function TeamBar(props: { store: Store; conv: Conversation }) {
  const { store, conv } = props;
  const team = store.team;
  const [error, setError] = useState<string | null>(null);
  const [snoozing, setSnoozing] = useState(false);
  const run = (change: Change) => {
    setError(null);
    setSnoozing(false);
    changeConversation(store, conv.id, change).catch((e) => setError(errorWords(e)));
  };
  const labels = team.labels.value;
  const applied = labels.filter((l) => conv.label_ids.includes(l.id));
  const unapplied = labels.filter((l) => !conv.label_ids.includes(l.id));
  const name = (id: string | null | undefined) => nameOf(team, id);
  return (
    <div
      class="team-bar"
      data-conversation={conv.id}
      onKeyDown={(e) => {
        // Esc folds the snooze choices away before anything else hears it.
        if (e.key === "Escape" && snoozing) {
          e.stopPropagation();
          setSnoozing(false);
        }
      }}
    >
      <div class="team-row">
        {conv.assignee_id && <MateAvatar name={name(conv.assignee_id)} id={conv.assignee_id} />}
        <AssignSelect
          id="assignee"
          label="Assignee"
          team={team}
          value={conv.assignee_id ?? ""}
          markMe
          blur
          onPick={(assignee_id) => run({ assignee_id })}
        />
        <span class={`state-chip is-${conv.state}`} data-state={conv.state}>
          {conv.state === "snoozed" && conv.snoozed_until
            ? `Snoozed until ${weekdayTime(conv.snoozed_until, store.timeZone.value)}`
            : conv.state === "closed"
            ? "Closed"
            : "Open"}
        </span>
        <span class="team-actions">
          {conv.state === "open"
            ? (
              <>
                <button
                  type="button"
                  class="button button-secondary button-small"
                  aria-expanded={snoozing}
                  onClick={() => setSnoozing(!snoozing)}
                >
                  Snooze
                </button>
                <button
                  type="button"
                  class="button button-primary button-small"
                  onClick={() => run({ state: "closed" })}
                  title="Close (e)"
                >
                  Close
                </button>
              </>
            )
            : (
              <button
                type="button"
                class="button button-secondary button-small"
                onClick={() => run({ state: "open" })}
              >
                Reopen
              </button>
            )}
        </span>
      </div>
      {snoozing && (
        <LazySnoozeMenu
          timeZone={store.timeZone.value}
          onSnooze={(until) => run({ state: "snoozed", snoozed_until: until })}
        />
      )}
      <div class="team-row label-row">
        {applied.map((l) => (
          <span key={l.id} class="label-chip" style={{ "--label": l.color }}>
            {l.name}
            <button
              type="button"
              aria-label={`Remove label ${l.name}`}
              onClick={() => run({ remove_label_ids: [l.id] })}
            >
              ×
            </button>
          </span>
        ))}
        {unapplied.length > 0 && (
          <LabelSelect
            id="add-label"
            label="Add a label"
            prompt="+ Label"
            labels={unapplied}
            blur
            onPick={(id) => run({ add_label_ids: [id] })}
          />
        )}
      </div>
      {team.menu.value === "assign" && (
        <LazyPickMenu
          label="Assign to"
          items={[
            { id: "", label: "Unassigned" },
            ...team.teammates.value.map((u) => ({
              id: u.id,
              label: mateChoice(team, u.id, true),
            })),
          ]}
          onPick={(id) => run({ assignee_id: id || null })}
          onClose={() => team.menu.value = null}
        />
      )}
      {team.menu.value === "label" && (
        <LazyPickMenu
          label="Add a label"
          items={unapplied.map((l) => ({ id: l.id, label: l.name }))}
          onPick={(id) => run({ add_label_ids: [id] })}
          onClose={() => team.menu.value = null}
        />
      )}
      <PresenceLine store={store} conversationId={conv.id} />
      {error && <p class="callout callout-small" role="alert">{error}</p>}
    </div>
  );
}
