// Development entry: regenerate the route manifest, bundle the islands, then start Hatch.
import { generateManifest } from "./lib/web/manifest.ts";
import { bundleIslands } from "./lib/web/bundle.ts";

const changed = await generateManifest();
if (changed) console.log("routes.gen.ts updated");
await bundleIslands();

if (!Deno.args.includes("--build-only")) {
  const { start } = await import("./main.ts");
  await start();
}
