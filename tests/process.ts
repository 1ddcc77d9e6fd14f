// Runs Hatch as a separate OS process for tests that kill, restart or multiply it.
import { onTeardown, testDatabaseUrl } from "./helpers.ts";
import { freePort, waitForReady } from "@/lib/net.ts";

/** A Hatch process under test. */
export interface HatchProcess {
  port: number;
  url: string;
  child: Deno.ChildProcess;
  kill: (signal?: Deno.Signal) => Promise<void>;
  /** What the process has printed to stdout so far; empty unless started with `captureStdout`. */
  stdout: () => string;
  /** What the process has printed to stderr so far; empty unless started with `captureStderr`. */
  stderr: () => string;
  /** Resolves once the captured output has all been read (the process has closed it). */
  outputEnded: Promise<void>;
}

const ROOT = new URL("../", import.meta.url).pathname;

/**
 * Starts `deno run -A <entry> <args>` on the run's database with `env`; waits for /ready.
 * `captureStdout` keeps what it prints (the first run's generated password, say); otherwise
 * stdout is dropped. `captureStderr` keeps stderr (warnings and errors) instead of passing it on.
 */
export async function spawnHatch(
  options: {
    entry?: string;
    args?: string[];
    env?: Record<string, string>;
    port?: number;
    captureStdout?: boolean;
    captureStderr?: boolean;
  } = {},
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
    stdout: options.captureStdout ? "piped" : "null",
    stderr: options.captureStderr ? "piped" : "inherit",
  }).spawn();
  const printed = { stdout: "", stderr: "" };
  // Read all along: a pipe nobody drains fills up and blocks the process on its next write.
  const capture = (stream: ReadableStream<Uint8Array<ArrayBuffer>>, into: "stdout" | "stderr") =>
    (async () => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) printed[into] += text;
    })().catch(() => {/* the process ended */});
  const outputEnded = Promise.all([
    options.captureStdout && capture(child.stdout, "stdout"),
    options.captureStderr && capture(child.stderr, "stderr"),
  ]).then(() => {});
  const url = `http://127.0.0.1:${port}`;
  const kill = async (signal: Deno.Signal = "SIGKILL") => {
    try {
      child.kill(signal);
    } catch { /* already gone */ }
    await child.status;
  };
  // A process the tests left running stops (cleanly) after the file's last test.
  onTeardown(() => kill("SIGTERM"));
  if ((options.entry ?? "main.ts") === "main.ts") {
    if (!await waitForReady(url, 30_000)) {
      await kill();
      throw new Error(`Hatch did not become ready on port ${port}`);
    }
  }
  return {
    port,
    url,
    child,
    kill,
    stdout: () => printed.stdout,
    stderr: () => printed.stderr,
    outputEnded,
  };
}

/** One SSE frame's fields. */
export type SseFrame = { id?: string; event?: string; data?: string };

/** A reader of SSE frames that keeps its place between waits. */
export interface SseReader {
  /** Reads frames until `match` accepts one and returns it; fails after `timeoutMs`. */
  until(match: (frame: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  close(): Promise<void>;
}

/** Starts reading SSE frames from a response body. */
export function sseReader(body: ReadableStream<Uint8Array>): SseReader {
  const reader = body.pipeThrough(
    new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>,
  ).getReader();
  let buffer = "";
  const frames: SseFrame[] = [];
  const parse = () => {
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame: Record<string, string> = {};
      for (const line of buffer.slice(0, end).split("\n")) {
        const m = line.match(/^(\w+): ?(.*)$/);
        if (m) frame[m[1]] = frame[m[1]] ? `${frame[m[1]]}\n${m[2]}` : m[2];
      }
      buffer = buffer.slice(end + 2);
      frames.push(frame);
    }
  };
  return {
    async until(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (frames.length) {
          const frame = frames.shift()!;
          if (match(frame)) return frame;
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error("Timed out waiting for an SSE frame")),
            Math.max(0, deadline - Date.now()),
          );
        });
        try {
          const { value, done } = await Promise.race([reader.read(), timeout]);
          if (done) throw new Error("The event stream ended before the expected frame");
          buffer += value;
          parse();
        } finally {
          clearTimeout(timer);
        }
      }
    },
    close: () => reader.cancel(),
  };
}
