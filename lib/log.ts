import {
  configure,
  getConsoleSink,
  getJsonLinesFormatter,
  getLogger,
  getTextFormatter,
  type Logger,
  type LogLevel,
  reset,
} from "@logtape/logtape";

export type { Logger };

/** Sets up LogTape once: pretty text on a terminal, JSON lines otherwise. */
export async function setupLogging(
  options: { level: LogLevel; format: "auto" | "pretty" | "json" },
): Promise<void> {
  const pretty = options.format === "pretty" ||
    (options.format === "auto" && Deno.stdout.isTerminal());
  await reset();
  await configure({
    sinks: {
      console: getConsoleSink({
        formatter: pretty ? getTextFormatter({ timestamp: "time" }) : getJsonLinesFormatter(),
      }),
    },
    loggers: [
      { category: ["hatch"], lowestLevel: options.level, sinks: ["console"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
}

/** A logger under the `hatch` category. */
export function logger(...category: string[]): Logger {
  return getLogger(["hatch", ...category]);
}
