// Snooze until later today, tomorrow morning, next week, or a time picked.
import { useState } from "preact/hooks";
import { snoozePresets } from "@/lib/client/snooze.ts";
import { weekdayTime } from "@/lib/shared/time.ts";

/** The snooze choices; `onSnooze` gets the ISO time. */
export function SnoozeMenu(props: { timeZone: string; onSnooze: (until: string) => void }) {
  const [picked, setPicked] = useState("");
  return (
    <div class="snooze-menu" role="group" aria-label="Snooze until">
      {snoozePresets().map((p) => (
        <button
          key={p.label}
          type="button"
          class="button button-ghost button-small"
          onClick={() => props.onSnooze(p.until.toISOString())}
        >
          {p.label} <small>{weekdayTime(p.until.toISOString(), props.timeZone)}</small>
        </button>
      ))}
      <form
        class="snooze-pick"
        onSubmit={(e) => {
          e.preventDefault();
          if (picked) props.onSnooze(new Date(picked).toISOString());
        }}
      >
        <label class="sr-only" for="snooze-at">Pick a time</label>
        <input
          id="snooze-at"
          type="datetime-local"
          value={picked}
          onInput={(e) => setPicked(e.currentTarget.value)}
        />
        <button type="submit" class="button button-secondary button-small">Snooze</button>
      </form>
    </div>
  );
}
