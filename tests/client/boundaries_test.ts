// The browser's side of the wire stays on its side: what the islands bundle (islands/,
// components/, lib/client/, lib/shared/) reaches no server module (the database, services,
// page loaders, zod) through an import that survives bundling, and the layers the browser and
// the page loaders share import each other without cycles.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

/** Folders whose modules may end up in the islands' bundle. */
const BROWSER_DIRS = ["islands/", "components/", "lib/client/", "lib/shared/", "lib/settings/"];
/** Packages the islands may load. */
const BROWSER_PACKAGES =
  /^(preact|preact\/.*|@preact\/signals|libphonenumber-js\/.*|qrcode-generator)$/;

interface Import {
  target: string;
  /** Erased when bundled: `import type`, `export type`, or only `type` names. */
  typeOnly: boolean;
}

const STATIC = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*"([^"]+)";/gms;
const BARE = /^\s*import\s+"([^"]+)";/gm;
const DYNAMIC = /(typeof\s+)?import\(\s*"([^"]+)"\s*\)/g;

function importsOf(source: string): Import[] {
  const found: Import[] = [];
  for (const m of source.matchAll(STATIC)) {
    const names = m[3].trim();
    const braces = names.match(/^\{([^}]*)\}$/);
    const allTypes = braces !== null &&
      braces[1].split(",").map((n) => n.trim()).filter(Boolean).every((n) => n.startsWith("type "));
    found.push({ target: m[4], typeOnly: Boolean(m[2]) || allTypes });
  }
  for (const m of source.matchAll(BARE)) found.push({ target: m[1], typeOnly: false });
  for (const m of source.matchAll(DYNAMIC)) found.push({ target: m[2], typeOnly: Boolean(m[1]) });
  return found;
}

/** An import of the project's own (relative, or through deno.json's `@/` alias). */
function isLocal(target: string): boolean {
  return target.startsWith(".") || target.startsWith("@/");
}

/** A relative import resolved to a path from the repository's root. */
function resolve(from: string, target: string): string {
  if (target.startsWith("@/")) return target.slice(2);
  return new URL(target, new URL(from, ROOT)).pathname.slice(new URL(ROOT).pathname.length);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(new URL(dir, ROOT))) {
    if (e.isDirectory) out.push(...await filesUnder(`${dir}${e.name}/`));
    else if (/\.tsx?$/.test(e.name)) out.push(`${dir}${e.name}`);
  }
  return out.sort();
}

const sources = new Map<string, Import[]>();
async function importsFrom(file: string): Promise<Import[]> {
  let found = sources.get(file);
  if (!found) {
    found = importsOf(await Deno.readTextFile(new URL(file, ROOT)));
    sources.set(file, found);
  }
  return found;
}

Deno.test("browser modules reach no server module through an import that is bundled", async () => {
  const problems: string[] = [];
  const start = (await Promise.all(BROWSER_DIRS.map(filesUnder))).flat();
  const seen = new Set<string>();
  const queue = start.map((file) => ({ file, via: [file] }));
  while (queue.length) {
    const { file, via } = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imp of await importsFrom(file)) {
      if (imp.typeOnly) continue;
      if (!isLocal(imp.target)) {
        if (!BROWSER_PACKAGES.test(imp.target)) {
          problems.push(`${via.join(" → ")} imports the package "${imp.target}"`);
        }
        continue;
      }
      const target = resolve(file, imp.target);
      if (!BROWSER_DIRS.some((dir) => target.startsWith(dir))) {
        problems.push(`${[...via, target].join(" → ")}: a server module`);
        continue;
      }
      queue.push({ file: target, via: [...via, target] });
    }
  }
  assert.ok(seen.size > 50, `walked ${seen.size} modules`);
  assert.deepEqual(problems, []);
});

Deno.test("lib/client, lib/shared and lib/pages import one another without a cycle", async () => {
  const files = (await Promise.all(["lib/client/", "lib/shared/", "lib/pages/"].map(filesUnder)))
    .flat();
  const mine = new Set(files);
  const edges = new Map<string, string[]>();
  for (const file of files) {
    edges.set(
      file,
      (await importsFrom(file))
        .filter((imp) => isLocal(imp.target))
        .map((imp) => resolve(file, imp.target))
        .filter((target) => mine.has(target)),
    );
  }
  // Depth-first search; a module met again while still on the path closes a cycle.
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    state.set(file, "open");
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") {
        cycles.push([...path.slice(path.indexOf(next)), next].join(" → "));
      } else if (!state.has(next)) visit(next, [...path, next]);
    }
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file, [file]);
  assert.deepEqual(cycles, []);
});

Deno.test("components never import islands", async () => {
  const problems: string[] = [];
  for (const file of await filesUnder("components/")) {
    for (const imp of await importsFrom(file)) {
      if (isLocal(imp.target) && resolve(file, imp.target).startsWith("islands/")) {
        problems.push(`${file} imports ${imp.target}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("the import reader tells bundled imports from erased ones", () => {
  const found = importsOf(`
import type { Tx } from "@/lib/db/connect.ts";
import { type A, type B } from "./types.ts";
import { type C, d } from "./d.ts";
import x from "./x.ts";
import {
  e,
  type F,
} from "./e.ts";
export type { G } from "./g.ts";
export { h } from "./h.ts";
import "./side.ts";
type P = typeof import("./phone.ts");
const later = () => import("./later.ts");
`);
  assert.deepEqual(found.map((i) => `${i.target} ${i.typeOnly ? "erased" : "bundled"}`), [
    "@/lib/db/connect.ts erased",
    "./types.ts erased",
    "./d.ts bundled",
    "./x.ts bundled",
    "./e.ts bundled",
    "./g.ts erased",
    "./h.ts bundled",
    "./side.ts bundled",
    "./phone.ts erased",
    "./later.ts bundled",
  ]);
});
