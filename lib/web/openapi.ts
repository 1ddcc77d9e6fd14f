import { z } from "zod";
import type { Manifest } from "./define.ts";
import { routeTable } from "./router.tsx";

type Json = Record<string, unknown>;

function schema(s: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as Json;
  return rest;
}

/** The OpenAPI 3.1 document of every route that exports `docs`, from the same zod schemas. */
export function openApiDocument(manifest: Manifest, version: string): Json {
  const paths: Record<string, Json> = {};
  for (const route of routeTable(manifest)) {
    const docs = route.module.docs;
    if (!docs) continue;
    const path = route.pattern.replace(/:(\w+)/g, "{$1}");
    const params = [...route.pattern.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const item: Json = {};
    for (const [method, op] of Object.entries(docs)) {
      const query = op.query
        ? Object.entries(op.query.shape).map(([name, s]) => ({
          name,
          in: "query",
          required: !(s as z.ZodType).safeParse(undefined).success,
          schema: schema(s as z.ZodType, "input"),
        }))
        : [];
      item[method.toLowerCase()] = {
        summary: op.summary,
        tags: op.tags,
        parameters: [...params, ...query],
        ...(op.body
          ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: schema(op.body, "input") } },
            },
          }
          : {}),
        responses: Object.fromEntries(
          Object.entries(op.responses).map(([status, r]) => [status, {
            description: r.description,
            ...(r.schema
              ? { content: { "application/json": { schema: schema(r.schema, "output") } } }
              : {}),
          }]),
        ),
      };
    }
    paths[path] = item;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Hatch API",
      version,
      description: 'SMS, chat and email inbox. Errors are {success: false, error: "…"} with a 4xx.',
    },
    paths,
  };
}
