// Idempotency-Key storage: a key, the work it guards and its answer commit together; replays get
// the stored answer.
import type { Sql, Tx } from "@/lib/db/connect.ts";
import { sha256Hex } from "@/lib/auth/crypto.ts";
import { BadRequestError, UnprocessableError } from "@/lib/errors.ts";

/** A stored answer to replay. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

/**
 * Runs `work` once per (scope, key): a replay returns the first answer, another body gets 422.
 * The key, the work and its answer commit in one transaction, so a key is never left claimed
 * without its answer (or answered without its work): when the database fails mid-way, nothing of
 * it is stored and a retry runs the work; when it committed, a retry gets the stored answer. A
 * request with a key still in flight waits for that one to finish, then replays its answer.
 */
export async function idempotent(
  sql: Sql,
  options: { scope: string; key: string | undefined; request: unknown },
  work: (tx: Tx) => Promise<StoredAnswer>,
): Promise<StoredAnswer> {
  if (options.key === undefined) return work(sql);
  const key = options.key;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new BadRequestError("Idempotency-Key must be 1–255 visible ASCII characters");
  }
  const hash = sha256Hex(JSON.stringify(options.request));
  return await sql.begin(async (tx) => {
    // Waits on the unique index while another request with this key is in flight. A committed
    // `running` row was left by an earlier version that claimed keys in a transaction of their
    // own: its request is long gone, so it is taken over.
    const claimed = await tx`
      insert into idempotency_keys (scope, key, request_hash, state)
      values (${options.scope}, ${key}, ${hash}, 'running')
      on conflict (scope, key) do update set request_hash = excluded.request_hash,
        created_at = now()
        where idempotency_keys.state = 'running'
      returning key`;
    if (!claimed.length) {
      const [row] = await tx`
        select * from idempotency_keys where scope = ${options.scope} and key = ${key}`;
      if (row.request_hash !== hash) {
        throw new UnprocessableError(
          `Idempotency-Key "${key}" was already used with a different request body`,
        );
      }
      return { status: row.response_status, body: row.response_body };
    }
    const answer = await work(tx);
    await tx`
      update idempotency_keys set state = 'done', response_status = ${answer.status},
        response_body = ${tx.json(answer.body)}
      where scope = ${options.scope} and key = ${key}`;
    return answer;
  });
}

/** Deletes answers older than `hours` (at least 24 are kept). */
export async function pruneIdempotencyKeys(sql: Sql, hours = 48): Promise<number> {
  const rows = await sql`
    delete from idempotency_keys where created_at < now() - make_interval(hours => ${hours})
    returning key`;
  return rows.length;
}
