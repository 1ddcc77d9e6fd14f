// `hatch backup <file>` and `hatch restore <file> [--force]` for cli.ts.
import type { Settings } from "@/lib/config.ts";
import { connect } from "@/lib/db/connect.ts";
import { openDatabase, resolveDatabaseUrl } from "@/lib/db/database.ts";
import { BadRequestError } from "@/lib/errors.ts";
import { writeBackup } from "./backup.ts";
import { restoreBackup } from "./restore.ts";

/** Runs `backup` or `restore`; returns the exit code. */
export async function backupCommand(
  settings: Settings,
  command: "backup" | "restore",
  args: string[],
): Promise<number> {
  const path = args.find((a) => !a.startsWith("--"));
  if (!path) {
    throw new BadRequestError(
      `Usage: hatch ${command} <file>${command === "restore" ? " [--force]" : ""}`,
    );
  }
  if (command === "backup") {
    const db = await openDatabase(settings);
    try {
      const c = await writeBackup(db.sql, { path, dataDir: settings.HATCH_DATA_DIR });
      console.log(
        `Backed up ${
          c.rows.toLocaleString("en-US")
        } rows of ${c.tables} tables and ${c.files} files to ${path} (${
          Math.ceil(c.bytes / 1024).toLocaleString("en-US")
        } KiB)`,
      );
      return 0;
    } finally {
      await db.close();
    }
  }
  // Not openDatabase: the restore migrates only as far as the backup first.
  const { url, stop } = await resolveDatabaseUrl(settings);
  const sql = connect(url, { max: 2, statementTimeoutMs: 0 });
  try {
    const c = await restoreBackup(sql, {
      path,
      url,
      dataDir: settings.HATCH_DATA_DIR,
      force: args.includes("--force"),
    });
    console.log(
      `Restored ${
        c.rows.toLocaleString("en-US")
      } rows of ${c.tables} tables and ${c.files} files from ${path}`,
    );
    return 0;
  } finally {
    await sql.end();
    await stop();
  }
}
