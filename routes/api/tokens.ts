import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { ApiToken, createApiToken, listApiTokens } from "@/lib/auth/tokens.ts";
import { actorOf } from "@/lib/auth/principal.ts";

const CreateToken = z.object({
  name: z.string().trim().min(1, "name is empty").max(100),
  expires_in_days: z.number().int().min(1).max(3650).optional(),
});

export const handler = define.handlers({
  async GET(c) {
    const p = c.var.principal;
    // Admins see every token; agents their own.
    return c.json({
      tokens: await listApiTokens(c.var.app.sql, p.role === "admin" ? undefined : p.userId),
    });
  },
  async POST(c) {
    const { sql } = c.var.app;
    const input = await readJson(c, CreateToken);
    const p = c.var.principal;
    const expiresAt = input.expires_in_days
      ? new Date(Date.now() + input.expires_in_days * 86_400_000)
      : undefined;
    const created = await createApiToken(sql, {
      userId: p.userId,
      name: input.name,
      expiresAt,
      actor: actorOf(p, clientIp(c)),
    });
    return c.json({ success: true, token: created.token, api_token: created.apiToken }, 201);
  },
});

export const docs = define.docs({
  GET: {
    summary: "API tokens: yours (admins: everyone's); secrets are never shown again",
    tags: ["tokens"],
    responses: { 200: { description: "Tokens", schema: z.object({ tokens: z.array(ApiToken) }) } },
  },
  POST: {
    summary: "Create an API token; the secret is in this answer only",
    tags: ["tokens"],
    body: CreateToken,
    responses: {
      201: {
        description: "Created",
        schema: z.object({ success: z.literal(true), token: z.string(), api_token: ApiToken }),
      },
    },
  },
});
