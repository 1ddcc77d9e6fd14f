// The stylesheets in static/: each closes every block it opens and nests no style rule inside
// another (an unclosed rule silently turns the rest of its sheet into descendants of it, as the
// settings page's team inbox and webhook styles once were), and stays under 400 lines.
import assert from "node:assert/strict";
import { test } from "@/tests/helpers.ts";

const STATIC = new URL("../../static/", import.meta.url);

/** What is wrong with a sheet's blocks, in words; empty when nothing is. */
function blockProblems(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "));
  const problems: string[] = [];
  const open: { style: boolean; prelude: string; line: number }[] = [];
  let prelude = "";
  let line = 1;
  let quote: string | null = null;
  for (const ch of text) {
    if (ch === "\n") line++;
    if (quote) {
      if (ch === quote) quote = null;
      prelude += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      prelude += ch;
    } else if (ch === "{") {
      const name = prelude.trim().replace(/\s+/g, " ");
      const style = !name.startsWith("@");
      const parent = open.at(-1);
      if (parent?.style) {
        problems.push(
          `line ${line}: "${name}" is nested in "${parent.prelude}" (line ${parent.line})`,
        );
      }
      open.push({ style, prelude: name, line });
      prelude = "";
    } else if (ch === "}") {
      if (!open.pop()) problems.push(`line ${line}: "}" closes nothing`);
      prelude = "";
    } else if (ch === ";") prelude = "";
    else prelude += ch;
  }
  for (const block of open) {
    problems.push(`"${block.prelude}" (line ${block.line}) is never closed`);
  }
  return problems;
}

test("blockProblems finds an unclosed rule, a nested one and a stray brace", () => {
  assert.deepEqual(blockProblems("a { color: red; }\n@media (x) { b { margin: 0; } }"), []);
  assert.deepEqual(blockProblems("a { color: red;\nb { margin: 0; }"), [
    'line 2: "b" is nested in "a" (line 1)',
    '"a" (line 1) is never closed',
  ]);
  assert.deepEqual(blockProblems('a { content: "{"; }\n}'), ['line 2: "}" closes nothing']);
});

test("every stylesheet closes what it opens, nests no rule and stays under 400 lines", async () => {
  const sheets: string[] = [];
  for await (const entry of Deno.readDir(STATIC)) {
    if (entry.isFile && entry.name.endsWith(".css")) sheets.push(entry.name);
  }
  assert.ok(sheets.length > 10, `the sheets in static/ (found ${sheets.length})`);
  for (const name of sheets.sort()) {
    const css = await Deno.readTextFile(new URL(name, STATIC));
    assert.deepEqual(blockProblems(css), [], name);
    assert.ok(css.split("\n").length <= 400, `${name} has more than 400 lines`);
  }
});
