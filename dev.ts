// Development entry: regenerate the route manifest, bundle the islands, then start Hatch.
import { generateManifest } from "./lib/web/manifest.ts";
import { bundleIslands } from "./lib/web/bundle.ts";

const changed = await generateManifest();
if (changed) console.log("routes.gen.ts updated");
const islands: string[] = [];
for await (const e of Deno.readDir(new URL("./islands/", import.meta.url))) {
  if (e.isFile && /\.tsx?$/.test(e.name)) islands.push(e.name);
}
await bundleIslands(islands.sort());

if (!Deno.args.includes("--build-only")) {
  const { start } = await import("./main.ts");
  await start();
}
