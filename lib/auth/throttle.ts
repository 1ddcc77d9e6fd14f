import type { Tx } from "@/lib/db/connect.ts";

// After three failures each further attempt must wait twice as long as the last (1 s, 2 s,
// 4 s…); ten failures lock the key for 15 minutes. A success clears the account's count.
const FREE_FAILURES = 3;
const LOCK_AFTER = 10;
const LOCK_MINUTES = 15;

/** The throttle keys of a login attempt: its IP and the account it names. */
export function loginKeys(ip: string, email: string): string[] {
  return [`ip:${ip}`, `account:${email.trim().toLowerCase()}`];
}

/** Seconds until another attempt is allowed for any of `keys`; 0 when allowed now. */
export async function loginWaitSeconds(sql: Tx, keys: string[]): Promise<number> {
  const rows = await sql`
    select failures, last_failure_at, locked_until from login_throttle where key = any(${keys})`;
  let wait = 0;
  const now = Date.now();
  for (const r of rows) {
    if (r.locked_until && new Date(r.locked_until).getTime() > now) {
      wait = Math.max(wait, (new Date(r.locked_until).getTime() - now) / 1000);
    } else if (r.failures >= FREE_FAILURES) {
      const delay = 2 ** (r.failures - FREE_FAILURES);
      const readyAt = new Date(r.last_failure_at).getTime() + delay * 1000;
      wait = Math.max(wait, (readyAt - now) / 1000);
    }
  }
  return Math.ceil(Math.max(0, wait));
}

/** Counts a failed attempt against every key; locks a key at the tenth failure. */
export async function recordLoginFailure(sql: Tx, keys: string[]): Promise<void> {
  for (const key of keys) {
    await sql`
      insert into login_throttle (key, failures, last_failure_at)
      values (${key}, 1, now())
      on conflict (key) do update set
        failures = case when login_throttle.locked_until < now() then 1
                        else login_throttle.failures + 1 end,
        last_failure_at = now(),
        locked_until = case
          when login_throttle.locked_until < now() then null
          when login_throttle.failures + 1 >= ${LOCK_AFTER}
            then now() + make_interval(mins => ${LOCK_MINUTES})
          else login_throttle.locked_until end`;
  }
}

/** Clears the account's failures after a good login (the IP's count stays). */
export async function recordLoginSuccess(sql: Tx, email: string): Promise<void> {
  await sql`delete from login_throttle where key = ${`account:${email.trim().toLowerCase()}`}`;
}

/** Deletes throttle rows with no failure for a day and no lock in force; returns the count. */
export async function pruneLoginThrottle(sql: Tx): Promise<number> {
  const result = await sql`
    delete from login_throttle where last_failure_at < now() - interval '1 day'
      and (locked_until is null or locked_until < now())`;
  return result.count;
}
