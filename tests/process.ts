// Runs Hatch as a separate OS process for tests that kill, restart or multiply it.
import { testDatabaseUrl } from "./helpers.ts";

/** A Hatch process under test. */
export interface HatchProcess {
  port: number;
  url: string;
  child: Deno.ChildProcess;
  kill: (signal?: Deno.Signal) => Promise<void>;
}

/** A free TCP port on loopback. */
export function freePort(): number {
  const l = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const ROOT = new URL("../", import.meta.url).pathname;

/** Starts `deno run -A <entry> <args>` on the run's database with `env`; waits for /ready. */
export async function spawnHatch(
  options: { entry?: string; args?: string[]; env?: Record<string, string>; port?: number } = {},
): Promise<HatchProcess> {
  const port = options.port ?? freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", options.entry ?? "main.ts", ...(options.args ?? [])],
    cwd: ROOT,
    env: {
      DATABASE_URL: testDatabaseUrl(),
      HATCH_PORT: String(port),
      HATCH_HOST: "127.0.0.1",
      HATCH_LOG_LEVEL: "warning",
      HATCH_LOG_FORMAT: "json",
      ...options.env,
    },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  const kill = async (signal: Deno.Signal = "SIGKILL") => {
    try {
      child.kill(signal);
    } catch { /* already gone */ }
    await child.status;
  };
  if ((options.entry ?? "main.ts") === "main.ts") {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const res = await fetch(`${url}/ready`);
        await res.body?.cancel();
        if (res.ok) break;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) {
        await kill();
        throw new Error(`Hatch did not become ready on port ${port}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { port, url, child, kill };
}

/** Reads SSE frames from a response body until `match` accepts one; returns it. */
export async function readSseUntil(
  body: ReadableStream<Uint8Array>,
  match: (frame: { id?: string; event?: string; data?: string }) => boolean,
  timeoutMs = 10_000,
): Promise<{ id?: string; event?: string; data?: string }> {
  const reader = body.pipeThrough(
    new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>,
  ).getReader();
  let buffer = "";
  const timer = setTimeout(() => reader.cancel(), timeoutMs);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error("The event stream ended before the expected event");
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame: Record<string, string> = {};
        for (const line of buffer.slice(0, end).split("\n")) {
          const m = line.match(/^(\w+): ?(.*)$/);
          if (m) frame[m[1]] = frame[m[1]] ? `${frame[m[1]]}\n${m[2]}` : m[2];
        }
        buffer = buffer.slice(end + 2);
        if (match(frame)) return frame;
      }
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}
