// A note or a system line in a thread: a note is a teammates-only card, plainly unlike a
// message (never sent to the customer); a system line says who did what, centred and quiet.
import type { Note } from "@/lib/shared/types.ts";
import { clockTime, weekdayTime } from "@/lib/shared/time.ts";

/** Words for a system line ("Ana assigned this to Ben", "Reopened by the customer's reply"). */
export function systemWords(
  n: Note,
  nameOf: (id: string | null | undefined) => string,
  timeZone: string,
): string {
  const d = n.detail as { action?: string; assignee_id?: string; until?: string; cause?: string };
  const by = nameOf(n.author_id);
  switch (d.action) {
    case "assigned":
      if (d.cause === "auto") return `Assigned to ${nameOf(d.assignee_id)}, who replied`;
      return d.assignee_id === n.author_id
        ? `${by} took this`
        : `${by} assigned this to ${nameOf(d.assignee_id)}`;
    case "unassigned":
      return `${by} unassigned this`;
    case "closed":
      return `Closed by ${by}`;
    case "snoozed":
      return `Snoozed by ${by} until ${d.until ? weekdayTime(d.until, timeZone) : "later"}`;
    case "reopened":
      return d.cause === "reply"
        ? "Reopened by the customer's reply"
        : d.cause === "snooze"
        ? "Back from snooze"
        : `Reopened by ${by}`;
    default:
      return "Changed";
  }
}

/** One note or system line. */
export function NoteLine(props: {
  note: Note;
  nameOf: (id: string | null | undefined) => string;
  timeZone: string;
}) {
  const { note, timeZone } = props;
  const at = clockTime(note.created_at, timeZone);
  if (note.kind === "system") {
    return (
      <p class="system-line" data-note={note.id}>
        <span>{systemWords(note, props.nameOf, timeZone)}</span>
        <time dateTime={note.created_at}>{at}</time>
      </p>
    );
  }
  return (
    <article class="note-card" data-note={note.id} aria-label="Internal note">
      <header>
        <strong>{props.nameOf(note.author_id)}</strong> · internal note ·{" "}
        <time
          dateTime={note.created_at}
        >
          {at}
        </time>
      </header>
      <p>{note.body}</p>
    </article>
  );
}
