// `hatch restore <file>`: a backup back into a database that has no messages, users or contacts
// yet (or any, with `force`). The database is first brought to the backup's migrations, the rows
// go in within one transaction (all or nothing), then later migrations apply as at any start.
import { dirname, join, normalize } from "node:path";
import { TextLineStream } from "./lines.ts";
import type { Sql, Tx } from "@/lib/db/connect.ts";
import { migrate, migrationFiles } from "@/lib/db/migrate.ts";
import { BadRequestError, ConflictError } from "@/lib/errors.ts";
import type { BackupHeader, BackupLine } from "./format.ts";
import { qualified } from "./format.ts";

const BATCH = 500;

/** What a restore put back. */
export interface RestoreCounts {
  tables: number;
  rows: number;
  files: number;
}

async function* lines(path: string): AsyncGenerator<BackupHeader | BackupLine> {
  const file = await Deno.open(path);
  const stream = file.readable
    .pipeThrough(new DecompressionStream("gzip"))
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new TextLineStream());
  for await (const line of stream) if (line) yield JSON.parse(line);
}

function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

async function insertRows(
  tx: Tx,
  table: { name: string; columns: string[] },
  rows: unknown[],
): Promise<void> {
  const cols = table.columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(", ");
  await tx.unsafe(
    `insert into ${qualified(table.name)} (${cols}) overriding system value
     select ${cols} from jsonb_populate_recordset(null::${qualified(table.name)}, $1::jsonb)`,
    [JSON.stringify(rows)],
  );
}

/** Restores the backup at `path` into the database behind `sql`; files into `dataDir`. */
export async function restoreBackup(
  sql: Sql,
  options: { path: string; url: string; dataDir: string; force?: boolean },
): Promise<RestoreCounts> {
  const reader = lines(options.path);
  try {
    return await restoreFrom(sql, reader, options);
  } finally {
    // Closes the file when the restore stopped before its end.
    await reader.return(undefined);
  }
}

async function restoreFrom(
  sql: Sql,
  reader: AsyncGenerator<BackupHeader | BackupLine>,
  options: { path: string; url: string; dataDir: string; force?: boolean },
): Promise<RestoreCounts> {
  const first = (await reader.next()).value as BackupHeader | undefined;
  if (!first || first.hatch_backup !== 1) {
    throw new BadRequestError(`"${options.path}" is not a Hatch backup`);
  }
  const known = new Set((await migrationFiles()).map((f) => f.name));
  const newer = first.migrations.filter((m) => !known.has(m));
  if (newer.length) {
    throw new BadRequestError(
      `The backup was made by a newer Hatch (migrations ${
        newer.join(", ")
      }): restore it with that version`,
    );
  }
  await migrate(sql, options.url, { only: first.migrations });
  const [used] = await sql`
    select (select count(*) from messages) + (select count(*) from emails)
      + (select count(*) from users) + (select count(*) from contacts) as n`;
  if (Number(used.n) > 0 && !options.force) {
    throw new ConflictError(
      "The database already has messages, users or contacts: restore into an empty one, or pass --force to replace them",
    );
  }
  const counts: RestoreCounts = { tables: 0, rows: 0, files: 0 };
  let ended = false;
  await sql.begin(async (tx) => {
    await tx`set local statement_timeout = 0`;
    let table: { name: string; columns: string[] } | undefined;
    let batch: unknown[] = [];
    const flush = async () => {
      if (table && batch.length) await insertRows(tx, table, batch);
      counts.rows += batch.length;
      batch = [];
    };
    const tables: string[] = [];
    for await (const line of reader) {
      if ("table" in line) {
        await flush();
        table = { name: line.table, columns: line.columns };
        tables.push(line.table);
        if (tables.length === 1) await clear(tx);
        // The event log is restored as it was: the triggers must not add to it meanwhile.
        await tx.unsafe(`alter table ${qualified(line.table)} disable trigger user`);
        counts.tables++;
      } else if ("row" in line) {
        batch.push(line.row);
        if (batch.length >= BATCH) await flush();
      } else if ("sequence" in line) {
        await flush();
        await tx`select setval(${line.sequence}::regclass, ${line.value}::bigint, ${line.called})`;
      } else if ("file" in line) {
        await writeFile(options.dataDir, line);
        counts.files++;
      } else if ("end" in line) {
        await flush();
        if (line.end.rows !== counts.rows || line.end.tables !== counts.tables) {
          throw new BadRequestError("The backup's counts do not match its rows: it is damaged");
        }
        ended = true;
      }
    }
    if (!ended) throw new BadRequestError(`"${options.path}" ends early: the backup is incomplete`);
    for (const name of tables) {
      await tx.unsafe(`alter table ${qualified(name)} enable trigger user`);
    }
  });
  await migrate(sql, options.url);
  return counts;
}

async function writeFile(dataDir: string, f: { file: string; data: string }): Promise<void> {
  const target = normalize(join(dataDir, f.file));
  if (!target.startsWith(normalize(join(dataDir, "attachments")) + "/")) {
    throw new BadRequestError(`The backup names a file outside attachments: "${f.file}"`);
  }
  await Deno.mkdir(dirname(target), { recursive: true });
  await Deno.writeFile(target, fromBase64(f.data));
}

// Everything a backup holds is replaced: rows made by migrating (graphile-worker's task names,
// say) included.
async function clear(tx: Tx): Promise<void> {
  const rows = await tx`
    select n.nspname || '.' || c.relname as name from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p')
      and ((n.nspname = 'public' and c.relname <> 'schema_migrations')
        or (n.nspname = 'graphile_worker' and c.relname like '\\_private\\_%'))`;
  if (rows.length) {
    await tx.unsafe(`truncate ${rows.map((r) => qualified(r.name as string)).join(", ")}`);
  }
}
