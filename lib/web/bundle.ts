import * as esbuild from "esbuild";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The island modules in `islands/`, sorted. */
export async function listIslands(): Promise<string[]> {
  const files: string[] = [];
  for await (const e of Deno.readDir(`${ROOT}islands`)) {
    if (e.isFile && /\.tsx?$/.test(e.name)) files.push(e.name);
  }
  return files.sort();
}

/** Bundles the islands and the hydration client into `static/islands/`; returns bytes per file. */
export async function bundleIslands(islandFiles?: string[]): Promise<Record<string, number>> {
  islandFiles ??= await listIslands();
  // Chunk names change with their content: start empty so old ones do not pile up.
  await Deno.remove(`${ROOT}static/islands`, { recursive: true }).catch(() => {});
  const entryPoints: Record<string, string> = { _client: `${ROOT}lib/web/client.ts` };
  for (const f of islandFiles) entryPoints[f.replace(/\.tsx?$/, "")] = `${ROOT}islands/${f}`;
  const result = await esbuild.build({
    entryPoints,
    outdir: `${ROOT}static/islands`,
    bundle: true,
    splitting: true,
    format: "esm",
    minify: true,
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    nodePaths: [`${ROOT}node_modules`],
    // deno.json's `@/` import alias: a path from the repository's root.
    plugins: [{
      name: "root-alias",
      setup(build) {
        build.onResolve({ filter: /^@\// }, (a) => ({ path: `${ROOT}${a.path.slice(2)}` }));
      },
    }],
    metafile: true,
    logLevel: "warning",
  });
  await esbuild.stop();
  const sizes: Record<string, number> = {};
  for (const [file, info] of Object.entries(result.metafile.outputs)) {
    sizes[file.replace(/^.*static\/islands\//, "")] = info.bytes;
  }
  return sizes;
}
