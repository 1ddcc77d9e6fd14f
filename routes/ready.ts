import { define } from "@/lib/web/define.ts";
import { pingDatabase } from "@/lib/db/health.ts";

export const open = true;

export const handler = define.handlers({
  async GET(c) {
    if (await pingDatabase(c.var.app.sql)) return c.json({ status: "ready", database: "ok" });
    return c.json({ status: "unavailable", database: "down" }, 503);
  },
});
