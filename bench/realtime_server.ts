// The server under test for bench/realtime.ts: Hatch as its own process (`deno run -A main.ts`)
// on the run's database, an admin's API token made for the run, and, with --server-log, the
// server's own handling time of each send read from its log.
import { connect } from "@/lib/db/connect.ts";
import { migrate } from "@/lib/db/migrate.ts";
import { createUser } from "@/lib/auth/users.ts";
import { createApiToken } from "@/lib/auth/tokens.ts";
import { freePort, waitForReady } from "@/lib/net.ts";
import { p50p99 } from "./_shared.ts";

/** Migrates the fresh database and makes an admin with an API token, as an operator would. */
export async function createAdminToken(url: string): Promise<string> {
  const sql = connect(url, { max: 1 });
  try {
    await migrate(sql, url);
    const user = await createUser(sql, {
      email: "bench@hatch.example",
      role: "admin",
      password: `bench-${crypto.randomUUID()}`,
    });
    return (await createApiToken(sql, { userId: user.id, name: "realtime bench" })).token;
  } finally {
    await sql.end();
  }
}

/** The server's own handling time of each accepted send, from its log, with when it was read. */
type ServerTimes = { at: number; ms: number }[];

async function readServerLog(
  stdout: ReadableStream<Uint8Array>,
  serverTimes: ServerTimes,
): Promise<void> {
  let rest = "";
  const decoder = new TextDecoder();
  for await (const bytes of stdout) {
    const lines = (rest + decoder.decode(bytes, { stream: true })).split("\n");
    rest = lines.pop() ?? "";
    const at = performance.now();
    for (const line of lines) {
      if (!line.includes('"path":"/api/send_message"') || !line.includes('"status":202')) continue;
      const m = line.match(/"ms":([\d.]+)/);
      if (m) serverTimes.push({ at, ms: Number(m[1]) });
    }
  }
}

/** Server handling p50 / p99 of the sends logged between `from` and `to` (performance.now()). */
function serverHandling(serverTimes: ServerTimes, from: number, to: number): string {
  const times = Float64Array.from(
    serverTimes.filter((t) => t.at >= from && t.at <= to).map((t) => t.ms),
  ).sort();
  return `${p50p99(times)} over ${times.length} sends`;
}

/** A running Hatch. */
export interface Server {
  url: string;
  pid: number;
  /** With --server-log: the server's handling p50 / p99 of the sends logged from `from` to `to`. */
  handling?: (from: number, to: number) => string;
  stop: () => Promise<void>;
}

/** How to run Hatch: the bench's --worker, --server-log, --server-flags and --env. */
export interface ServerOptions {
  databaseUrl: string;
  worker: boolean;
  serverLog: boolean;
  serverFlags: string;
  extraEnv: Record<string, string>;
  /** A command to run Hatch under (its arguments), e.g. prlimit to raise the file limit. */
  wrap?: string[];
}

/** Starts Hatch on a free port and waits until it answers; prints how it was started. */
export async function startHatch(options: ServerOptions): Promise<Server> {
  const port = freePort();
  const env: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    HATCH_PORT: String(port),
    HATCH_HOST: "127.0.0.1",
    HATCH_WORKER: options.worker ? "true" : "false",
    HATCH_SMS_PROVIDER: "sandbox",
    HATCH_EMAIL_PROVIDER: "sandbox",
    HATCH_LOG_LEVEL: options.serverLog ? "info" : "warning",
    HATCH_LOG_FORMAT: "json",
    HATCH_SEND_RATE_PER_MINUTE: "1000000",
    ...options.extraEnv,
  };
  const args = ["run", "-A", ...options.serverFlags.split(" ").filter(Boolean), "main.ts"];
  const [command, ...wrapArgs] = options.wrap?.length
    ? [...options.wrap, Deno.execPath(), ...args]
    : [Deno.execPath(), ...args];
  const child = new Deno.Command(command, {
    args: wrapArgs,
    cwd: new URL("../", import.meta.url).pathname,
    env,
    stdin: "null",
    stdout: options.serverLog ? "piped" : "null",
    stderr: "inherit",
  }).spawn();
  const serverTimes: ServerTimes = [];
  if (options.serverLog) void readServerLog(child.stdout, serverTimes);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, 5000);
    await child.status;
    clearTimeout(timer);
  };
  if (!await waitForReady(url, 60_000)) {
    await stop();
    throw new Error(`Hatch did not become ready on port ${port} within 60 s`);
  }
  const shown = Object.entries(env).filter(([k]) => k !== "DATABASE_URL" && k !== "HATCH_PORT")
    .map(([k, v]) => `${k}=${v}`).join(" ");
  console.log(`Hatch (pid ${child.pid}) ready on ${url} with ${shown}`);
  const handling = options.serverLog
    ? (from: number, to: number) => serverHandling(serverTimes, from, to)
    : undefined;
  return { url, pid: child.pid, handling, stop };
}

/** Starts `cli.ts worker` on the database and waits for its first heartbeat. */
export async function startWorkerProcess(
  databaseUrl: string,
  extraEnv: Record<string, string>,
): Promise<() => Promise<void>> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", "worker"],
    cwd: new URL("../", import.meta.url).pathname,
    env: {
      DATABASE_URL: databaseUrl,
      HATCH_SMS_PROVIDER: "sandbox",
      HATCH_EMAIL_PROVIDER: "sandbox",
      HATCH_LOG_LEVEL: "warning",
      ...extraEnv,
    },
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const sql = connect(databaseUrl, { max: 1 });
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const [row] = await sql`select count(*)::int as n from worker_heartbeats`;
      if (row.n > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await sql.end();
  }
  return async () => {
    child.kill("SIGTERM");
    await child.status;
  };
}
