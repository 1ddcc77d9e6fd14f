// The assign and label selects the team bar (one conversation) and the bulk bar (the ticked
// ones) both show: the same choices, each bar its own words and what a pick changes.
import { nameOf, type TeamState } from "@/lib/client/team_store.ts";
import type { Label } from "@/lib/shared/types.ts";

/** A teammate as the choices name them; with `markMe`, the signed-in user as "Me (…)". */
export function mateChoice(team: TeamState, id: string, markMe: boolean): string {
  return markMe && id === team.me?.id ? `Me (${nameOf(team, id)})` : nameOf(team, id);
}

interface SelectWords {
  /** The select's id (its hidden label points at it). */
  id: string;
  /** The hidden label's words. */
  label: string;
  /** Blur after a pick: the choice is made, so the keys are shortcuts again. */
  blur?: boolean;
}

/** "Unassigned" and the teammates; `prompt` first (a choice that assigns nobody) when given. */
export function AssignSelect(
  props: SelectWords & {
    team: TeamState;
    value: string;
    prompt?: string;
    markMe?: boolean;
    onPick: (assigneeId: string | null) => void;
  },
) {
  const { team } = props;
  return (
    <>
      <label class="sr-only" for={props.id}>{props.label}</label>
      <select
        id={props.id}
        class="team-select"
        value={props.value}
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (props.blur) e.currentTarget.blur();
          if (v !== "-") props.onPick(v || null);
        }}
      >
        {props.prompt && <option value="-">{props.prompt}</option>}
        <option value="">Unassigned</option>
        {team.teammates.value.map((u) => (
          <option key={u.id} value={u.id}>{mateChoice(team, u.id, !!props.markMe)}</option>
        ))}
      </select>
    </>
  );
}

/** The labels to add, under `prompt` (a choice that adds none). */
export function LabelSelect(
  props: SelectWords & { prompt: string; labels: Label[]; onPick: (labelId: string) => void },
) {
  return (
    <>
      <label class="sr-only" for={props.id}>{props.label}</label>
      <select
        id={props.id}
        class="team-select"
        value=""
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (props.blur) e.currentTarget.blur();
          if (v) props.onPick(v);
        }}
      >
        <option value="">{props.prompt}</option>
        {props.labels.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
      </select>
    </>
  );
}
