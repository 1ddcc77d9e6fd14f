// "Send later": times picked in the reader's time zone, turned into instants for the API.

/** The offset (ms) of `timeZone` from UTC at the instant `at`. */
function offsetAt(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** A wall-clock time in `timeZone` (`2026-05-01T09:30`, as a datetime-local field gives it) as an ISO instant. */
export function zonedToIso(local: string, timeZone: string): string | null {
  const m = local.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  // Twice: the offset at the guess can differ from the offset at the answer around a DST change.
  let at = wall - offsetAt(timeZone, wall);
  at = wall - offsetAt(timeZone, at);
  return new Date(at).toISOString();
}

/** An instant as a datetime-local value in `timeZone` (`2026-05-01T09:30`). */
export function isoToZoned(iso: string, timeZone: string): string {
  const at = Date.parse(iso);
  const shifted = new Date(at + offsetAt(timeZone, at));
  return shifted.toISOString().slice(0, 16);
}

/** One "Send later" choice. */
export interface Preset {
  label: string;
  iso: string;
}

/** The usual choices from `now`: in an hour, tomorrow morning, next Monday morning. */
export function sendLaterPresets(now: Date, timeZone: string): Preset[] {
  const today = isoToZoned(now.toISOString(), timeZone).slice(0, 10);
  const day = (plus: number) => {
    const d = new Date(`${today}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + plus);
    return d;
  };
  const at9 = (d: Date) => zonedToIso(`${d.toISOString().slice(0, 10)}T09:00`, timeZone)!;
  const toMonday = ((8 - day(0).getUTCDay()) % 7) || 7;
  return [
    { label: "In 1 hour", iso: new Date(now.getTime() + 3_600_000).toISOString() },
    { label: "Tomorrow, 9:00 AM", iso: at9(day(1)) },
    { label: "Monday, 9:00 AM", iso: at9(day(toMonday)) },
  ];
}
