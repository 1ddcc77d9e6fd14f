import { define, type Manifest } from "@/lib/web/define.ts";
import { openApiDocument } from "@/lib/web/openapi.ts";

export const open = true;

// One document per manifest (an app is built from one), made at the first request.
const cached = new WeakMap<Manifest, Record<string, unknown>>();

export const handler = define.handlers({
  GET(c) {
    const { manifest } = c.var;
    let doc = cached.get(manifest);
    if (!doc) cached.set(manifest, doc = openApiDocument(manifest, "0.1.0"));
    return c.json(doc);
  },
});
