import { TooManyRequestsError } from "@/lib/errors.ts";

// Token buckets per principal, in this process's memory: each process of a scaled-out setup
// limits on its own, which bounds the total at N × the rate.
const buckets = new Map<string, { tokens: number; at: number }>();

/** Takes one send from `key`'s bucket of `perMinute`, or throws a 429 with Retry-After. */
export function takeSend(key: string, perMinute: number): void {
  const now = Date.now();
  const capacity = Math.max(1, Math.ceil(perMinute / 6)); // bursts of ten seconds' worth
  const b = buckets.get(key) ?? { tokens: capacity, at: now };
  b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 60_000) * perMinute);
  b.at = now;
  if (b.tokens < 1) {
    buckets.set(key, b);
    const wait = Math.ceil(((1 - b.tokens) / perMinute) * 60);
    throw new TooManyRequestsError(
      `Too many sends: the limit is ${perMinute} a minute; try again in ${wait} s`,
      wait,
    );
  }
  b.tokens -= 1;
  buckets.set(key, b);
  if (buckets.size > 10_000) buckets.clear();
}
