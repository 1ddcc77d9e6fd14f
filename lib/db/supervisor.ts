import { logger } from "@/lib/log.ts";

const log = logger("db", "supervisor");

/** One run of a supervised server: `exited` settles when its process ends. */
export interface Run {
  exited: Promise<void>;
  /** Asks the process to stop and waits until it has. */
  stop: () => Promise<void>;
}

/** A server kept running: it is restarted whenever it ends on its own. */
export interface Supervisor {
  /** Whether the server's process is running now. */
  alive: () => boolean;
  /** How many times the server has been restarted. */
  restarts: () => number;
  /** Stops restarting first, then stops the server. */
  stop: () => Promise<void>;
}

/** Watches `first` and restarts it with `restart` (backing off) whenever it ends on its own. */
export function supervise(first: Run, options: {
  name: string;
  restart: () => Promise<Run>;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** A run that lasted this long was healthy: the next restart starts the backoff over. */
  stableMs?: number;
}): Supervisor {
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5000;
  const stableMs = options.stableMs ?? 10_000;
  let current: Run | undefined = first;
  let stopping = false;
  let restarts = 0;
  let delay = minDelay;
  let wake = () => {};
  // The restart loop; awaited by stop() so that no server is started behind its back.
  let loop: Promise<void> = Promise.resolve();

  const waitOrStop = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const watch = (run: Run, startedAt: number) => {
    run.exited.then(() => {
      if (current === run) current = undefined;
      if (stopping) return;
      if (Date.now() - startedAt >= stableMs) delay = minDelay;
      loop = restartLoop();
    });
  };

  const restartLoop = async () => {
    log.warn("Restarting {name} in {delay} ms: it stopped unexpectedly", {
      name: options.name,
      delay,
    });
    while (!stopping) {
      await waitOrStop(delay);
      if (stopping) return;
      delay = Math.min(delay * 2, maxDelay);
      try {
        const run = await options.restart();
        restarts++;
        if (stopping) {
          await run.stop();
          return;
        }
        current = run;
        log.warn("Restarted {name} (restart {count})", { name: options.name, count: restarts });
        watch(run, Date.now());
        return;
      } catch (e) {
        log.warn("Could not restart {name}, trying again in {delay} ms: {error}", {
          name: options.name,
          delay,
          error: e instanceof Error ? e.message : String(e),
        });
      }
    }
  };

  watch(first, Date.now());
  return {
    alive: () => current !== undefined,
    restarts: () => restarts,
    stop: async () => {
      stopping = true;
      wake();
      await loop;
      await current?.stop();
      current = undefined;
    },
  };
}
