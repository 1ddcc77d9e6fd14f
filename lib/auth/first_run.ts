import type { Settings } from "@/lib/config.ts";
import type { Tx } from "@/lib/db/connect.ts";
import { logger } from "@/lib/log.ts";
import { generatePassword } from "./passwords.ts";
import { countUsers, createUser } from "./users.ts";

const log = logger("auth");

/** The first admin's email when none is configured. */
export const DEFAULT_ADMIN_EMAIL = "admin@hatch.local";

/**
 * Makes sure someone can sign in. With no user yet: HATCH_ADMIN_EMAIL (+ HATCH_ADMIN_PASSWORD)
 * creates the admin; on the embedded database an admin is created with a generated password,
 * printed once to the console (never to the log); otherwise it says how to create one.
 */
export async function ensureFirstAdmin(
  sql: Tx,
  settings: Settings,
  print: (line: string) => void = console.log,
): Promise<void> {
  // Replicas started together (a compose scale-up, a rollout): one makes the admin while the
  // others wait on the lock, then find it. The password is printed once the user is committed.
  const lines: string[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`;
    await firstAdmin(tx, settings, (line) => lines.push(line));
  });
  for (const line of lines) print(line);
}

// Any constant shared by every Hatch process (the migrations use 7262018, the event log 7262019).
const FIRST_ADMIN_LOCK = 7262020;

async function firstAdmin(
  sql: Tx,
  settings: Settings,
  print: (line: string) => void,
): Promise<void> {
  if ((await countUsers(sql)) > 0) return;
  const system = { label: "system (first run)" };
  if (settings.HATCH_ADMIN_EMAIL) {
    const generated = !settings.HATCH_ADMIN_PASSWORD;
    const password = settings.HATCH_ADMIN_PASSWORD || generatePassword();
    const user = await createUser(sql, {
      email: settings.HATCH_ADMIN_EMAIL,
      role: "admin",
      password,
    }, system);
    log.info("Created the first admin {email}", { email: user.email });
    if (generated) printPassword(print, user.email, password);
    return;
  }
  if (!settings.databaseUrl) {
    const password = generatePassword();
    const user = await createUser(
      sql,
      { email: DEFAULT_ADMIN_EMAIL, role: "admin", password },
      system,
    );
    printPassword(print, user.email, password);
    return;
  }
  log.warn(
    "No users yet: create the first admin with `deno task hatch user create --admin you@example.com`, or set HATCH_ADMIN_EMAIL",
  );
}

function printPassword(print: (line: string) => void, email: string, password: string): void {
  print("");
  print("  Hatch's first admin account (shown once, write it down):");
  print(`    email:    ${email}`);
  print(`    password: ${password}`);
  print("  Change it after signing in: Settings → Security → Password");
  print("");
}
