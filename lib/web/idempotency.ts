import type { Sql } from "../db/connect.ts";
import { sha256Hex } from "../auth/crypto.ts";
import { BadRequestError, ConflictError, UnprocessableError } from "../errors.ts";

/** A stored answer to replay. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

// A key left `running` this long belongs to a request whose process died; it may be taken over.
const ABANDONED_AFTER = "1 minute";

/**
 * Runs `work` once per (scope, key): a replay returns the first answer, another body gets 422,
 * a request while the first still runs gets 409. Failed work frees the key for a retry.
 */
export async function idempotent(
  sql: Sql,
  options: { scope: string; key: string | undefined; request: unknown },
  work: () => Promise<StoredAnswer>,
): Promise<StoredAnswer> {
  if (options.key === undefined) return work();
  const key = options.key;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new BadRequestError("Idempotency-Key must be 1–255 visible ASCII characters");
  }
  const hash = sha256Hex(JSON.stringify(options.request));
  const claimed = await sql`
    insert into idempotency_keys (scope, key, request_hash, state)
    values (${options.scope}, ${key}, ${hash}, 'running')
    on conflict (scope, key) do update set request_hash = excluded.request_hash,
      created_at = now()
      where idempotency_keys.state = 'running'
        and idempotency_keys.created_at < now() - ${ABANDONED_AFTER}::interval
    returning key`;
  if (!claimed.length) {
    const [row] = await sql`
      select * from idempotency_keys where scope = ${options.scope} and key = ${key}`;
    if (row && row.request_hash !== hash) {
      throw new UnprocessableError(
        `Idempotency-Key "${key}" was already used with a different request body`,
      );
    }
    if (!row || row.state === "running") {
      throw new ConflictError(`A request with Idempotency-Key "${key}" is still being processed`);
    }
    return { status: row.response_status, body: row.response_body };
  }
  try {
    const answer = await work();
    await sql`
      update idempotency_keys set state = 'done', response_status = ${answer.status},
        response_body = ${sql.json(answer.body as never)}
      where scope = ${options.scope} and key = ${key}`;
    return answer;
  } catch (e) {
    await sql`delete from idempotency_keys where scope = ${options.scope} and key = ${key}`;
    throw e;
  }
}

/** Deletes answers older than `hours` (at least 24 are kept). */
export async function pruneIdempotencyKeys(sql: Sql, hours = 48): Promise<number> {
  const rows = await sql`
    delete from idempotency_keys where created_at < now() - make_interval(hours => ${hours})
    returning key`;
  return rows.length;
}
