// The contact page's timeline: every SMS, chat and email with the contact, newest first, under
// day headings, with the live stream's state and a way to page back.
import type { ConnectionState } from "@/lib/client/store.ts";
import type { Entry } from "@/lib/shared/types.ts";
import { dayKey, dayLabel } from "@/lib/shared/time.ts";
import { ConnectionBadge } from "./ConnectionBadge.tsx";
import { TimelineEntry } from "./TimelineEntry.tsx";

/** Entries grouped by the reader's calendar day, in the order given. */
function byDay(entries: Entry[], now: number, timeZone: string) {
  const days: { key: string; label: string; items: Entry[] }[] = [];
  for (const e of entries) {
    const key = dayKey(e.timestamp, timeZone);
    const last = days[days.length - 1];
    if (last?.key === key) last.items.push(e);
    else days.push({ key, label: dayLabel(e.timestamp, new Date(now), timeZone), items: [e] });
  }
  return days;
}

/** The "Activity" section of a contact's page. */
export function ContactActivity(props: {
  name: string;
  entries: Entry[];
  /** Set while there are older entries to load. */
  cursor: string | null;
  older: { loading: boolean; error: string | null };
  connection: ConnectionState;
  phone: (e164: string) => string;
  timeZone: string;
  now: number;
  onLoadOlder: () => void;
}) {
  const { entries, older } = props;
  return (
    <section class="contact-main" aria-labelledby="activity-title">
      <div class="section-head">
        <h2 class="section-title" id="activity-title">Activity</h2>
        <ConnectionBadge state={props.connection} />
      </div>
      {entries.length === 0
        ? (
          <div class="tl-empty">
            <p class="tl-empty-title">No messages with {props.name} yet</p>
            <p>Texts and emails to and from their numbers and addresses will show here.</p>
          </div>
        )
        : (
          <ol class="timeline" aria-label={`Messages with ${props.name}`}>
            {byDay(entries, props.now, props.timeZone).map((day) => (
              <li key={day.key} class="tl-day">
                <h3 class="tl-day-label">{day.label}</h3>
                <ol class="tl-entries">
                  {day.items.map((e) => (
                    <TimelineEntry
                      key={e.id}
                      entry={e}
                      address={e.channel === "sms" ? props.phone(e.address) : e.address}
                      timeZone={props.timeZone}
                    />
                  ))}
                </ol>
              </li>
            ))}
          </ol>
        )}
      {older.error && <p class="callout thread-error" role="alert">{older.error}</p>}
      {props.cursor && (
        <button
          type="button"
          class="button button-secondary tl-older"
          disabled={older.loading}
          onClick={props.onLoadOlder}
        >
          {older.loading ? "Loading…" : "Load older"}
        </button>
      )}
    </section>
  );
}
