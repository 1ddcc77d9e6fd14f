// Under a scheduled text (or email) that has not left: when it will, and how to change or cancel
// it; under a marketing text held for quiet hours: until when.
import { useState } from "preact/hooks";
import { api } from "@/lib/client/api.ts";
import { useAction } from "@/lib/client/use_action.ts";
import { isoToZoned, zonedToIso } from "@/lib/shared/send_later.ts";
import { fullTime } from "@/lib/shared/time.ts";
import { IconClock } from "./Icons.tsx";

/** The note and its Edit / Cancel controls; the live stream brings the changed row back. */
export function ScheduledNote(props: {
  kind: "message" | "email";
  id: string;
  body: string;
  sendAt: string;
  timeZone: string;
  onChanged?: () => void;
}) {
  const action = useAction();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(props.body);
  const [when, setWhen] = useState(isoToZoned(props.sendAt, props.timeZone));
  const save = () =>
    action.run(async () => {
      const iso = zonedToIso(when, props.timeZone);
      if (!iso) throw new Error("Pick a date and a time");
      await api(`/api/${props.kind}/${props.id}`, {
        method: "PATCH",
        body: {
          ...(text !== props.body ? { content: text } : {}),
          ...(iso !== props.sendAt ? { send_at: iso } : {}),
        },
      });
      setEditing(false);
      props.onChanged?.();
    });
  const cancel = () =>
    action.run(async () => {
      await api(`/api/${props.kind}/${props.id}/cancel`, { method: "POST", body: {} });
      props.onChanged?.();
    });
  return (
    <div class="scheduled-note" data-testid="scheduled-note">
      <p class="scheduled-when">
        <IconClock size={13} />
        <span>Scheduled for {fullTime(props.sendAt, props.timeZone)}</span>
        {!editing && (
          <>
            <button type="button" class="link-button" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button
              type="button"
              class="link-button"
              disabled={action.busy}
              onClick={cancel}
            >
              Cancel send
            </button>
          </>
        )}
      </p>
      {editing && (
        <form
          class="scheduled-edit"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <label>
            <span class="sr-only">Text</span>
            <textarea
              rows={2}
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          </label>
          <label>
            <span>Send at ({props.timeZone})</span>
            <input
              type="datetime-local"
              value={when}
              onInput={(e) => setWhen(e.currentTarget.value)}
            />
          </label>
          <div class="scheduled-actions">
            <button type="submit" class="button button-primary" disabled={action.busy}>
              Save
            </button>
            <button type="button" class="button button-ghost" onClick={() => setEditing(false)}>
              Close
            </button>
          </div>
        </form>
      )}
      {action.error && <p class="callout callout-warning callout-small">{action.error}</p>}
    </div>
  );
}

/** A marketing text waiting for the recipient's daytime. */
export function HeldNote(props: { until: string; timeZone: string }) {
  return (
    <p class="scheduled-when held-note">
      <IconClock size={13} />
      <span>
        Quiet hours: held until {fullTime(props.until, props.timeZone)}{" "}
        (8:00 in the recipient's time zone)
      </span>
    </p>
  );
}
