import { define } from "../lib/web/define.ts";

export const open = true;

export const handler = define.handlers({
  async GET(c) {
    try {
      await c.var.app.sql`select 1`;
      return c.json({ status: "ready", database: "ok" });
    } catch {
      return c.json({ status: "unavailable", database: "unreachable" }, 503);
    }
  },
});
