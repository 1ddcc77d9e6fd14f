// `hatch import lean-hatch <database url> [--timezone Zone]`: the progress bar and the summary.
import type { Sql } from "@/lib/db/connect.ts";
import { BadRequestError } from "@/lib/errors.ts";
import { importLeanHatch, type ImportSummary } from "./lean_hatch.ts";

const encoder = new TextEncoder();

/** A one-line bar redrawn in place on a terminal; a line per tenth otherwise (logs, CI). */
export function progressBar(write: (text: string) => void, terminal: boolean) {
  let lastTenth = -1;
  return (done: number, total: number) => {
    const share = total ? done / total : 1;
    const line = `${"#".repeat(Math.round(share * 30)).padEnd(30, ".")} ${
      done.toLocaleString("en-US")
    }/${total.toLocaleString("en-US")} rows`;
    if (terminal) write(`\r[${line}]${done >= total ? "\n" : ""}`);
    else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      write(`[${line}]\n`);
    }
  };
}

/** The summary in words: what came in, what was skipped and why, how odd values were read. */
export function describeSummary(s: ImportSummary): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const table = (name: string, c: ImportSummary["messages"]) =>
    `  ${name.padEnd(9)} ${n(c.read)} read: ${n(c.imported)} imported, ${
      n(c.alreadyThere)
    } already there, ${n(c.skipped)} skipped`;
  const lines = [
    "Imported from lean_hatch:",
    table("messages", s.messages),
    table("emails", s.emails),
    `  conversations: ${n(s.conversations)} created or brought up to date`,
  ];
  if (s.skipped.size) {
    lines.push("Skipped:");
    for (const [reason, { count, ids }] of s.skipped) {
      lines.push(`  ${n(count).padStart(6)}  ${reason} (e.g. ${ids.join(", ")})`);
    }
  }
  if (s.notes.size) {
    lines.push("Read as:");
    for (const [note, count] of s.notes) lines.push(`  ${n(count).padStart(6)}  ${note}`);
  }
  if (s.leftOut.length) {
    lines.push("Not copied:");
    for (const what of s.leftOut) lines.push(`  ${what}`);
  }
  return lines.join("\n");
}

/** Runs `import <kind> <url>` for cli.ts; returns the exit code. */
export async function importCommand(sql: Sql, args: string[]): Promise<number> {
  const [kind, url] = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
  if (kind !== "lean-hatch" || !url) {
    throw new BadRequestError(
      "Usage: hatch import lean-hatch <database url> [--timezone Europe/Paris]",
    );
  }
  const i = args.indexOf("--timezone");
  const summary = await importLeanHatch(sql, url, {
    timezone: i >= 0 ? args[i + 1] : undefined,
    onProgress: progressBar(
      (text) => Deno.stderr.writeSync(encoder.encode(text)),
      Deno.stderr.isTerminal(),
    ),
  });
  console.log(describeSummary(summary));
  return 0;
}
