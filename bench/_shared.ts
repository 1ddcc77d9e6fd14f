// Helpers shared by the benchmarks: a throwaway database per run, percentiles and tables.
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { connect, withDatabase } from "@/lib/db/connect.ts";

/** The server benchmarks create their databases on unless told otherwise. */
export const DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/** The server URL from `--database-url`, else HATCH_BENCH_DATABASE_URL, else the local one. */
export function serverUrl(flag: string | undefined): string {
  return flag || Deno.env.get("HATCH_BENCH_DATABASE_URL") || DEFAULT_SERVER_URL;
}

/** The command line's flags: `options`, and the `--database-url` every server benchmark takes.
 * `--help` prints the script's opening comment (its usage); a flag it does not take, or a value
 * missing, is said in words with that usage, and the script exits with 2. */
export function benchFlags<O extends ParseArgsOptionsConfig>(options: O) {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(usage());
    Deno.exit(0);
  }
  try {
    return parseArgs({
      args: Deno.args,
      options: { ...options, "database-url": { type: "string" as const } },
    }).values;
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : e}\n\n${usage()}`);
    Deno.exit(2);
  }
}

/** The running script's opening comment, without its comment marks. */
function usage(): string {
  const text = Deno.readTextFileSync(new URL(Deno.mainModule));
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("//")) break;
    lines.push(line.replace(/^\/\/ ?/, ""));
  }
  return lines.join("\n").trim();
}

/** A database made for one benchmark run. */
export interface BenchDatabase {
  name: string;
  url: string;
  /** Drops the database (closing anything still connected to it). */
  drop: () => Promise<void>;
}

/** A database name for this run: `hatch_bench_<timestamp>`, then `_<label>` if given. */
export function benchDatabaseName(label?: string, at = Date.now()): string {
  return `hatch_bench_${at}${label ? `_${label}` : ""}`;
}

/** Creates the database `name` on the server at `adminUrl`. */
export async function createBenchDatabase(adminUrl: string, name: string): Promise<BenchDatabase> {
  const admin = connect(adminUrl, { max: 1, statementTimeoutMs: 0 });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: async () => {
      const sql = connect(adminUrl, { max: 1, statementTimeoutMs: 0 });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

/** A database for one run (`benchDatabaseName(label, at)`) on the server `serverUrl(flag)` names. */
export function benchDatabase(
  flag: string | undefined,
  label: string,
  at?: number,
): Promise<BenchDatabase> {
  return createBenchDatabase(serverUrl(flag), benchDatabaseName(label, at));
}

/** The nearest-rank percentile `p` (0–100) of ascending `sorted`. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Milliseconds with a precision that suits their size. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

/** "p50 / p99 ms" of ascending `sorted`. */
export function p50p99(sorted: ArrayLike<number>): string {
  return `${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 99))} ms`;
}

/** Prints rows as an aligned plain-text table (numbers right-aligned). */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = headers.map((_, i) =>
    rows.every((r) => /^[-–\d.,×%<>]*[×%]?$/.test(r[i]) || r[i] === "–")
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])).join("  ")
      .trimEnd();
  console.log(line(headers));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

/** A one-line description of the machine, for the record next to the figures. */
export function machine(): string {
  const cpus = navigator.hardwareConcurrency;
  let model = "";
  try {
    model = Deno.readTextFileSync("/proc/cpuinfo").match(/model name\s*:\s*(.+)/)?.[1] ?? "";
  } catch { /* not Linux: the core count is enough */ }
  const memGiB = Math.round(Deno.systemMemoryInfo().total / 2 ** 30);
  return `${cpus} cores${
    model ? ` (${model.trim()})` : ""
  }, ${memGiB} GiB RAM, Deno ${Deno.version.deno}`;
}
