import { define } from "@/lib/web/define.ts";
import { pingDatabase } from "@/lib/db/health.ts";

export const open = true;

// The process answers 200 while it runs; the database's state is reported, not failed on
// (that is /ready's job), so a supervisor does not restart Hatch for an outage of PostgreSQL.
export const handler = define.handlers({
  GET: async (c) =>
    c.json({ status: "ok", database: await pingDatabase(c.var.app.sql) ? "ok" : "down" }),
});
