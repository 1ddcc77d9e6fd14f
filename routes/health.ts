import { define } from "../lib/web/define.ts";

export const open = true;

export const handler = define.handlers({
  GET: (c) => c.json({ status: "ok" }),
});
