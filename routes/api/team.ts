import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { ForbiddenError } from "@/lib/errors.ts";
import { Teammate, TeamSettings } from "@/lib/conversations/team_schemas.ts";
import { listTeammates } from "@/lib/conversations/notes.ts";
import { teamSettings, updateTeamSettings } from "@/lib/conversations/settings.ts";

const TeamAnswer = z.object({ teammates: z.array(Teammate), settings: TeamSettings });

export const handler = define.handlers({
  async GET(c) {
    const { sql } = c.var.app;
    return c.json({ teammates: await listTeammates(sql), settings: await teamSettings(sql) });
  },
  async PATCH(c) {
    if (c.var.principal.role !== "admin") throw new ForbiddenError("Only admins can do this");
    const input = await readJson(c, TeamSettings);
    const settings = await updateTeamSettings(c.var.app.sql, {
      ...input,
      actor: actorOf(c.var.principal, clientIp(c)),
    });
    return c.json({ success: true, settings });
  },
});

export const docs = define.docs({
  GET: {
    summary: "The team: who can be assigned and mentioned, and the team's settings",
    tags: ["team"],
    responses: { 200: { description: "The team", schema: TeamAnswer } },
  },
  PATCH: {
    summary: "Admins: change the team's settings (auto_assign)",
    tags: ["team"],
    body: TeamSettings,
    responses: {
      200: {
        description: "Changed",
        schema: z.object({ success: z.literal(true), settings: TeamSettings }),
      },
    },
  },
});
