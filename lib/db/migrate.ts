import { runMigrations } from "graphile-worker";
import type { Sql } from "./connect.ts";
import { logger } from "@/lib/log.ts";

const log = logger("db", "migrate");
const SQL_DIR = new URL("../../sql/", import.meta.url);
// Any constant shared by every Hatch process: it serialises concurrent migrators.
const MIGRATION_LOCK = 7262018;

/** The numbered `.sql` files in `sql/`, in the order they apply. */
export async function migrationFiles(): Promise<{ name: string; text: string }[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(SQL_DIR)) {
    if (e.isFile && /^\d{3}_.+\.sql$/.test(e.name)) names.push(e.name);
  }
  names.sort();
  return Promise.all(
    names.map(async (name) => ({ name, text: await Deno.readTextFile(new URL(name, SQL_DIR)) })),
  );
}

/**
 * Applies graphile-worker's schema and every pending file of `sql/`, under a lock; with `only`,
 * just those files (a restore first brings a database to its backup's schema).
 */
export async function migrate(
  sql: Sql,
  connectionString: string,
  options: { only?: readonly string[] } = {},
): Promise<string[]> {
  await runMigrations({ connectionString, logger: undefined });
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    // A migration may rewrite a large table: no statement timeout for this transaction.
    await tx`set local statement_timeout = 0`;
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`create table if not exists schema_migrations (
      name text primary key, applied_at timestamptz not null default now())`;
    const done = new Set(
      (await tx`select name from schema_migrations`).map((r) => r.name as string),
    );
    for (const file of await migrationFiles()) {
      if (done.has(file.name) || (options.only && !options.only.includes(file.name))) continue;
      log.info("Applying {name}", { name: file.name });
      await tx.unsafe(file.text);
      await tx`insert into schema_migrations (name) values (${file.name})`;
      applied.push(file.name);
    }
  });
  return applied;
}

/** Migration files not yet applied to the database (for `doctor`). */
export async function pendingMigrations(sql: Sql): Promise<string[]> {
  const [{ present }] = await sql`select to_regclass('schema_migrations') is not null as present`;
  const done = present
    ? new Set((await sql`select name from schema_migrations`).map((r) => r.name as string))
    : new Set<string>();
  return (await migrationFiles()).map((f) => f.name).filter((n) => !done.has(n));
}
