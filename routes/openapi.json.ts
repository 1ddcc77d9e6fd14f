import { define } from "../lib/web/define.ts";
import { openApiDocument } from "../lib/web/openapi.ts";
import { manifest } from "../routes.gen.ts";

export const open = true;

let cached: Record<string, unknown> | undefined;

export const handler = define.handlers({
  GET(c) {
    cached ??= openApiDocument(manifest, "0.1.0");
    return c.json(cached);
  },
});
