import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readQuery } from "@/lib/web/input.ts";
import { AuditEntry, listAudit } from "@/lib/auth/audit.ts";
import { Limit } from "@/lib/conversations/schemas.ts";

export const adminOnly = true;

const AuditQuery = z.object({
  limit: Limit,
  before: z.coerce.number().int().positive().optional(),
  action: z.string().max(50).optional(),
});

export const handler = define.handlers({
  async GET(c) {
    const q = readQuery(c, AuditQuery);
    return c.json(
      await listAudit(c.var.app.sql, { limit: q.limit, beforeId: q.before, action: q.action }),
    );
  },
});

export const docs = define.docs({
  GET: {
    summary: "Admins: the audit log, newest first (logins, tokens, user changes, sends)",
    tags: ["audit"],
    query: AuditQuery,
    responses: {
      200: {
        description: "A page",
        schema: z.object({ entries: z.array(AuditEntry), next_before: z.number().nullable() }),
      },
    },
  },
});
