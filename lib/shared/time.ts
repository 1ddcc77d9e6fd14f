// Dates for people, in the reader's time zone; shared by the server render and the islands so
// that hydration finds the same text. Intl formatters are costly to build, so they are cached.

const formatters = new Map<string, Intl.DateTimeFormat>();

function fmt(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = timeZone + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { ...options, timeZone });
    } catch {
      // An unknown zone from a stale cookie must not break the page.
      f = new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
    }
    formatters.set(key, f);
  }
  return f;
}

/** The calendar day of an instant in a zone, as `YYYY-MM-DD`, for grouping and comparing. */
export function dayKey(iso: string | Date, timeZone: string): string {
  const parts = fmt(timeZone, { year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

/** Clock time: `3:07 PM`. */
export function clockTime(iso: string, timeZone: string): string {
  return fmt(timeZone, { hour: "numeric", minute: "2-digit" }).format(new Date(iso));
}

/** A list's time column: the clock today, `Yesterday`, a weekday this week, else a date. */
export function listTime(iso: string, now: Date, timeZone: string): string {
  const days = daysBetween(dayKey(iso, timeZone), dayKey(now, timeZone));
  if (days <= 0) return clockTime(iso, timeZone);
  if (days === 1) return "Yesterday";
  if (days < 7) return fmt(timeZone, { weekday: "short" }).format(new Date(iso));
  const sameYear = dayKey(iso, timeZone).slice(0, 4) === dayKey(now, timeZone).slice(0, 4);
  return fmt(timeZone, sameYear ? { month: "short", day: "numeric" } : { dateStyle: "medium" })
    .format(new Date(iso));
}

/** A thread's day separator: `Today`, `Yesterday`, or `Monday, March 3` (with the year if not this one). */
export function dayLabel(iso: string, now: Date, timeZone: string): string {
  const days = daysBetween(dayKey(iso, timeZone), dayKey(now, timeZone));
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  const sameYear = dayKey(iso, timeZone).slice(0, 4) === dayKey(now, timeZone).slice(0, 4);
  return fmt(
    timeZone,
    sameYear
      ? { weekday: "long", month: "long", day: "numeric" }
      : { weekday: "long", month: "long", day: "numeric", year: "numeric" },
  ).format(new Date(iso));
}

/** A weekday and clock time, for a time within the coming days: `Mon 9:00 AM`. */
export function weekdayTime(iso: string, timeZone: string): string {
  return fmt(timeZone, { weekday: "short", hour: "numeric", minute: "2-digit" }).format(
    new Date(iso),
  );
}

/** A full date and time for tooltips and email headers: `Mar 3, 2025, 3:07 PM`. */
export function fullTime(iso: string, timeZone: string): string {
  return fmt(timeZone, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

/** The reader's IANA time zone from the `hatch_tz` cookie the inbox sets; UTC when unknown. */
export function zoneFromCookie(cookie: string | undefined): string {
  const m = cookie?.match(/(?:^|;\s*)hatch_tz=([^;]+)/);
  if (!m) return "UTC";
  // A cookie anyone could have handed the browser: bad percent-encoding (URIError) or an
  // unknown zone (RangeError) is UTC too.
  try {
    const zone = decodeURIComponent(m[1]);
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}
