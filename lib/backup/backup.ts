// `hatch backup <file>`: the whole database (one consistent snapshot) and the inbound attachments
// under HATCH_DATA_DIR, in one gzip'd file; no pg_dump needed (the embedded server has none).
import { join, relative } from "node:path";
import type { Sql } from "@/lib/db/connect.ts";
import {
  type BackupHeader,
  type BackupLine,
  backupSequences,
  backupTables,
  qualified,
} from "./format.ts";

const FETCH = 1000;

async function* filesUnder(dir: string): AsyncGenerator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* filesUnder(path);
    else if (e.isFile) yield path;
  }
}

function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/** What a backup wrote. */
export interface BackupCounts {
  tables: number;
  rows: number;
  files: number;
  bytes: number;
}

/** Writes a backup of the database behind `sql` and `<dataDir>/attachments` to `path`. */
export async function writeBackup(
  sql: Sql,
  options: { path: string; dataDir: string },
): Promise<BackupCounts> {
  const temporary = `${options.path}.partial`;
  const file = await Deno.open(temporary, { write: true, create: true, truncate: true });
  const gzip = new CompressionStream("gzip");
  const done = gzip.readable.pipeTo(file.writable);
  const writer = gzip.writable.getWriter();
  const encoder = new TextEncoder();
  const write = (line: BackupHeader | BackupLine) =>
    writer.write(encoder.encode(JSON.stringify(line) + "\n"));
  const counts = { tables: 0, rows: 0, files: 0, bytes: 0 };
  try {
    // One snapshot for every table, so rows that refer to each other are all there.
    await sql.begin(async (tx) => {
      await tx`set transaction isolation level repeatable read, read only`;
      await tx`set local statement_timeout = 0`;
      const migrations = await tx`select name from schema_migrations order by name`;
      await write({
        hatch_backup: 1,
        created_at: new Date().toISOString(),
        migrations: migrations.map((r) => r.name as string),
      });
      for (const table of await backupTables(tx)) {
        await write({ table: table.name, columns: table.columns });
        counts.tables++;
        // Whole rows less their generated columns, which the restore's insert recomputes.
        const generated = table.generated.map((c) => `'${c.replaceAll("'", "''")}'`).join(", ");
        await tx.unsafe(
          `declare backup_rows no scroll cursor for
             select (to_jsonb(t) - array[${generated}]::text[])::text as row
             from ${qualified(table.name)} t`,
        );
        for (;;) {
          const rows = await tx.unsafe(`fetch ${FETCH} from backup_rows`);
          for (const r of rows) await writer.write(encoder.encode(`{"row":${r.row}}\n`));
          counts.rows += rows.length;
          if (rows.length < FETCH) break;
        }
        await tx.unsafe("close backup_rows");
      }
      for (const name of await backupSequences(tx)) {
        const [s] = await tx.unsafe(
          `select last_value::text as value, is_called as called from ${qualified(name)}`,
        );
        await write({ sequence: name, value: s.value, called: s.called });
      }
    });
    for await (const path of filesUnder(join(options.dataDir, "attachments"))) {
      const bytes = await Deno.readFile(path);
      await write({ file: relative(options.dataDir, path), data: toBase64(bytes) });
      counts.files++;
    }
    await write({ end: { tables: counts.tables, rows: counts.rows, files: counts.files } });
    await writer.close();
    await done;
  } catch (e) {
    await writer.abort(e).catch(() => {});
    await done.catch(() => {});
    await Deno.remove(temporary).catch(() => {});
    throw e;
  }
  // Only a complete backup takes the name: an interrupted one never replaces a good one.
  await Deno.rename(temporary, options.path);
  counts.bytes = (await Deno.stat(options.path)).size;
  return counts;
}
