// The `hatch` operator command: `deno task hatch <command>`; see `deno task hatch help`.
import { loadSettings, type Settings } from "./lib/config.ts";
import { ConfigError, HatchError } from "./lib/errors.ts";
import { setupLogging } from "./lib/log.ts";
import { openDatabase } from "./lib/db/database.ts";
import { startWorker } from "./lib/delivery/worker.ts";
import { sendMessage } from "./lib/messages/service.ts";
import { sendEmail } from "./lib/emails/service.ts";
import { SendMessageInput } from "./lib/messages/schemas.ts";
import { SendEmailInput } from "./lib/emails/schemas.ts";
import { runDoctor } from "./lib/doctor.ts";
import { describeZodError } from "./lib/web/errors.ts";
import { accountCommand } from "./lib/auth/cli.ts";
import { stopOnSignals } from "./lib/stop.ts";
import { serveMetrics } from "./lib/metrics/server.ts";
import { importCommand } from "./lib/import/cli.ts";
import { backupCommand } from "./lib/backup/cli.ts";

const HELP = `Usage: deno task hatch <command> [options]

Commands:
  start                         serve the inbox and API (same as deno task start)
  worker                        run delivery workers only (as many processes as you like)
  migrate                       apply pending database migrations and exit
  send-sms <to> <text>          queue an SMS (or an in-app chat message to a name)
  send-email <to> <subject> <body> [--cc a,b] [--bcc c]
                                queue an email
  doctor                        check settings, database, migrations and providers
  user create <email> [--admin] [--name N] [--password P]
                                create a user (a password is generated and printed if not given)
  user list                     list users
  user disable <email>          disable a user: their sessions end and tokens stop working
  user enable <email>           enable a user again
  user reset-password <email> [--password P]
                                set a new password (generated if not given); sessions end
  token create <email> <name>   create an API token for a user (shown once)
  token revoke <token id>       revoke an API token
  backup <file>                 write the database and HATCH_DATA_DIR's attachments to a file
  restore <file> [--force]      put a backup back (into a database with no data, unless --force)
  import lean-hatch <database url> [--timezone Zone]
                                copy a lean_hatch database in (re-runs add nothing);
                                its naive timestamps are read in Zone (default UTC)
  help                          show this help`;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function positional(args: string[]): string[] {
  return args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
}

async function withDatabase<T>(
  settings: Settings,
  fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(settings);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === "help" || command === "--help") {
    console.log(HELP);
    return command ? 0 : 2;
  }
  if (command === "start") {
    const { start } = await import("./main.ts");
    await start();
    return -1;
  }
  const settings = loadSettings();
  await setupLogging({ level: settings.HATCH_LOG_LEVEL, format: settings.HATCH_LOG_FORMAT });
  switch (command) {
    case "migrate":
      await withDatabase(settings, () => Promise.resolve());
      console.log("Database is up to date");
      return 0;
    case "worker": {
      const stopWith = stopOnSignals();
      const db = await openDatabase(settings);
      const worker = await startWorker({ sql: db.sql, databaseUrl: db.url, settings });
      const metrics = serveMetrics({ sql: db.sql, settings });
      stopWith(async () => {
        try {
          await metrics?.stop();
          await worker.stop();
        } finally {
          await db.close();
        }
      });
      return -1;
    }
    case "send-sms": {
      const [to, ...text] = positional(rest);
      const input = SendMessageInput.safeParse({ to, content: text.join(" ") });
      if (!input.success) throw new HatchError(describeZodError(input.error));
      const result = await withDatabase(
        settings,
        (db) => sendMessage(db.sql, settings, input.data),
      );
      console.log(`Queued message ${result.message_id} (${result.status})`);
      return 0;
    }
    case "send-email": {
      const [to_email, subject, ...body] = positional(rest);
      const input = SendEmailInput.safeParse({
        to_email,
        subject,
        body: body.join(" "),
        cc: flag(rest, "cc"),
        bcc: flag(rest, "bcc"),
      });
      if (!input.success) throw new HatchError(describeZodError(input.error));
      const result = await withDatabase(settings, (db) => sendEmail(db.sql, settings, input.data));
      console.log(`Queued email ${result.email_id}`);
      return 0;
    }
    case "doctor":
      return await runDoctor(settings);
    case "backup":
    case "restore":
      return await backupCommand(settings, command, rest);
    case "import":
      return await withDatabase(settings, (db) => importCommand(db.sql, rest));
    case "user":
    case "token":
      return await withDatabase(settings, (db) => accountCommand(db.sql, command, rest));
    default:
      console.error(`Unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

if (import.meta.main) {
  try {
    const code = await main(Deno.args);
    if (code >= 0) Deno.exit(code);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof HatchError) {
      console.error(`hatch: ${e.message}`);
      Deno.exit(1);
    }
    throw e;
  }
}
