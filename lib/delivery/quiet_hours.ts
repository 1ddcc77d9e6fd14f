import { parsePhoneNumberFromString } from "libphonenumber-js";
import { timezones } from "libphonenumber-geo-carrier";
import { ConfigError } from "@/lib/errors.ts";

/** The hours of the day (recipient-local) marketing texts may go out: from `start` to `end`. */
export interface QuietWindow {
  /** Minutes after local midnight the window opens (8:00 → 480). */
  start: number;
  /** Minutes after local midnight it closes (21:00 → 1260). */
  end: number;
}

/** Reads a window like "08:00-21:00"; "off" is no window (marketing texts go at any hour). */
export function parseQuietWindow(text: string): QuietWindow | undefined {
  if (text === "off") return undefined;
  const m = text.match(/^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/);
  const start = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  const end = m ? Number(m[3]) * 60 + Number(m[4]) : NaN;
  if (!(start >= 0 && end <= 24 * 60 && start < end)) {
    throw new ConfigError(
      `HATCH_QUIET_HOURS="${text}" is not valid: write the sending window as HH:MM-HH:MM (like 08:00-21:00), or off`,
    );
  }
  return { start, end };
}

// Only the numbers the US and Canadian quiet-hour rules cover.
const COVERED = new Set(["US", "CA"]);

/** The time zones a US or Canadian number may be in (from its area code); [] for others. */
export async function zonesOf(phone: string): Promise<string[]> {
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed?.country || !COVERED.has(parsed.country)) return [];
  return (await timezones(parsed)) ?? [];
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Minutes after local midnight at `at` in `zone` (seconds and milliseconds as a fraction). */
export function localMinutes(zone: string, at: Date): number {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(zone, f);
  }
  const part = (type: string) => Number(f.formatToParts(at).find((p) => p.type === type)!.value);
  return part("hour") * 60 + part("minute") + part("second") / 60 +
    at.getUTCMilliseconds() / 60_000;
}

// Minutes until the window opens in `zone` (0 when it is open).
function minutesUntilOpen(zone: string, at: Date, window: QuietWindow): number {
  const m = localMinutes(zone, at);
  if (m >= window.start && m < window.end) return 0;
  return m >= window.end ? 24 * 60 - m + window.start : window.start - m;
}

// The first instant from `at` when the window is open in every zone, or undefined when the zones
// never share one (a toll-free number spanning Guam to Newfoundland).
function firstOpen(zones: string[], at: Date, window: QuietWindow): Date | undefined {
  let t = at;
  for (let i = 0; i < 8; i++) {
    const wait = Math.max(...zones.map((z) => minutesUntilOpen(z, t, window)));
    if (wait === 0) return t;
    t = new Date(t.getTime() + Math.round(wait * 60_000));
  }
  return undefined;
}

/**
 * When a marketing text to `phone` may leave if it may not now (the recipient's window opening,
 * in every zone its area code spans); undefined when it may go now or the number is not covered.
 */
export async function quietUntil(
  phone: string,
  options: { now: Date; window: QuietWindow; fallbackZone: string },
): Promise<Date | undefined> {
  const zones = await zonesOf(phone);
  if (!zones.length) return undefined;
  const open = firstOpen(zones, options.now, options.window) ??
    firstOpen([options.fallbackZone], options.now, options.window)!;
  return open.getTime() === options.now.getTime() ? undefined : open;
}
