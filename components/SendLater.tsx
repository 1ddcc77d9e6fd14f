// "Send later": a clock button beside Send that opens the usual times and a picker, all in the
// reader's time zone.
import { useState } from "preact/hooks";
import { isoToZoned, sendLaterPresets, zonedToIso } from "@/lib/shared/send_later.ts";
import { fullTime } from "@/lib/shared/time.ts";
import { IconClock } from "./Icons.tsx";

/** The button and its menu; `onPick` gets the chosen instant (ISO). */
export function SendLater(props: {
  timeZone: string;
  disabled: boolean;
  onPick: (iso: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState("");
  const [error, setError] = useState<string | null>(null);
  const now = new Date();
  const pick = (iso: string) => {
    setOpen(false);
    setPicked("");
    setError(null);
    props.onPick(iso);
  };
  const schedulePicked = () => {
    const iso = zonedToIso(picked, props.timeZone);
    if (!iso) return setError("Pick a date and a time");
    if (Date.parse(iso) <= Date.now()) return setError("That time has passed: pick a later one");
    pick(iso);
  };
  return (
    <div class="send-later">
      <button
        type="button"
        class="send-later-button"
        aria-label="Send later"
        title="Send later"
        aria-expanded={open}
        disabled={props.disabled}
        onClick={() => setOpen(!open)}
      >
        <IconClock size={18} />
      </button>
      {open && (
        <div class="send-later-menu" role="dialog" aria-label="Send later">
          <p class="send-later-title">Send later</p>
          {sendLaterPresets(now, props.timeZone).map((p) => (
            <button
              type="button"
              class="send-later-preset"
              key={p.label}
              onClick={() => pick(p.iso)}
            >
              <span>{p.label}</span>
              <span class="send-later-when">{fullTime(p.iso, props.timeZone)}</span>
            </button>
          ))}
          <label class="send-later-pick">
            <span>Pick a time ({props.timeZone})</span>
            <input
              type="datetime-local"
              value={picked}
              min={isoToZoned(now.toISOString(), props.timeZone)}
              onInput={(e) => setPicked(e.currentTarget.value)}
            />
          </label>
          {error && <p class="callout callout-warning callout-small">{error}</p>}
          <button type="button" class="button button-primary" onClick={schedulePicked}>
            Schedule
          </button>
        </div>
      )}
    </div>
  );
}
