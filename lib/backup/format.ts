// The backup file: gzip'd JSON lines, written and read as a stream. The first line says what it
// is and which migrations the database had; then each table's name and columns followed by its
// rows, the sequences, the files under HATCH_DATA_DIR/attachments, and a last line with the
// counts (a file cut short has none).
import type { Tx } from "@/lib/db/connect.ts";

/** The first line. */
export interface BackupHeader {
  hatch_backup: 1;
  created_at: string;
  /** The `sql/` files the database had applied, in order. */
  migrations: string[];
}

/** One line of a backup after the header. */
export type BackupLine =
  | { table: string; columns: string[] }
  | { row: Record<string, unknown> }
  | { sequence: string; value: string; called: boolean }
  | { file: string; data: string }
  | { end: { tables: number; rows: number; files: number } };

/** A table the backup holds: its qualified name and the columns written (none generated). */
export interface BackupTable {
  name: string;
  columns: string[];
  /** Generated columns, left out of the rows. */
  generated: string[];
}

/**
 * Hatch's tables and graphile-worker's job tables, parents before children (foreign keys);
 * not the migration bookkeeping, which a restore rebuilds by migrating.
 */
export async function backupTables(tx: Tx): Promise<BackupTable[]> {
  const tables = await tx`
    select c.oid::int as oid, n.nspname || '.' || c.relname as name,
      array(select a.attname::text from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
              and a.attgenerated = '' order by a.attnum) as columns,
      array(select a.attname::text from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
              and a.attgenerated <> '') as generated
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p')
      and ((n.nspname = 'public' and c.relname <> 'schema_migrations')
        or (n.nspname = 'graphile_worker' and c.relname like '\\_private\\_%'))
    order by name`;
  const edges = await tx`
    select conrelid::int as child, confrelid::int as parent from pg_constraint
    where contype = 'f' and conrelid <> confrelid`;
  const byOid = new Map(tables.map((t) => [t.oid as number, t]));
  const parents = new Map<number, number[]>();
  for (const e of edges) {
    if (byOid.has(e.child) && byOid.has(e.parent)) {
      parents.set(e.child, [...parents.get(e.child) ?? [], e.parent]);
    }
  }
  const ordered: BackupTable[] = [];
  const placed = new Set<number>();
  const place = (oid: number, path: number[]) => {
    if (placed.has(oid)) return;
    if (path.includes(oid)) throw new Error(`Foreign keys form a cycle at ${byOid.get(oid)!.name}`);
    for (const parent of parents.get(oid) ?? []) place(parent, [...path, oid]);
    placed.add(oid);
    const t = byOid.get(oid)!;
    ordered.push({ name: t.name, columns: t.columns, generated: t.generated });
  };
  for (const t of tables) place(t.oid, []);
  return ordered;
}

/** The sequences of both schemas, by qualified name. */
export async function backupSequences(tx: Tx): Promise<string[]> {
  const rows = await tx`
    select n.nspname || '.' || c.relname as name from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'S' and n.nspname in ('public', 'graphile_worker') order by name`;
  return rows.map((r) => r.name as string);
}

/** Quotes `schema.table` for SQL text. */
export function qualified(name: string): string {
  return name.split(".").map((part) => `"${part.replaceAll('"', '""')}"`).join(".");
}
