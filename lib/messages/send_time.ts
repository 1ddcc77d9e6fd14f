import { BadRequestError } from "@/lib/errors.ts";

/** How far ahead a message or email may be scheduled. */
export const MAX_SCHEDULE_DAYS = 366;
// A time a little in the past (a clock a few seconds behind, a slow form) means "now".
const PAST_TOLERANCE_MS = 60_000;

/**
 * The time a `send_at` asks for, or undefined for "at once" (also for a time that has just
 * passed); a time long past or more than a year ahead is refused in words.
 */
export function sendTime(sendAt: string | undefined, now = new Date()): Date | undefined {
  if (sendAt === undefined) return undefined;
  const at = new Date(sendAt);
  if (Number.isNaN(at.getTime())) {
    throw new BadRequestError(`send_at "${sendAt}" is not a time`);
  }
  if (at.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
    throw new BadRequestError(`send_at "${sendAt}" has passed: pick a time in the future`);
  }
  if (at.getTime() > now.getTime() + MAX_SCHEDULE_DAYS * 86_400_000) {
    throw new BadRequestError(
      `send_at "${sendAt}" is too far ahead: at most ${MAX_SCHEDULE_DAYS} days`,
    );
  }
  return at.getTime() <= now.getTime() ? undefined : at;
}
