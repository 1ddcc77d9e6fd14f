import type { z } from "zod";
import { BadRequestError, PayloadTooLargeError } from "@/lib/errors.ts";
import { describeZodError } from "./errors.ts";
import type { Ctx } from "./define.ts";

/** Largest JSON body the API reads. */
export const MAX_JSON_BYTES = 1_000_000;

/** Reads the request body as JSON and validates it with `schema`, or throws a 4xx in words. */
export async function readJson<S extends z.ZodType>(c: Ctx, schema: S): Promise<z.output<S>> {
  const length = Number(c.req.header("content-length") ?? 0);
  if (length > MAX_JSON_BYTES) {
    throw new PayloadTooLargeError(
      `Request body is too large: the limit is ${MAX_JSON_BYTES} bytes`,
    );
  }
  const text = await c.req.text();
  if (text.length > MAX_JSON_BYTES) {
    throw new PayloadTooLargeError(
      `Request body is too large: the limit is ${MAX_JSON_BYTES} bytes`,
    );
  }
  if (!text.trim()) throw new BadRequestError("Request body is empty: send a JSON object");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BadRequestError(`Malformed JSON: ${(e as Error).message}`);
  }
  return parseWith(schema, value);
}

/** Validates the query string with `schema`, or throws a 400 in words. */
export function readQuery<S extends z.ZodType>(c: Ctx, schema: S): z.output<S> {
  return parseWith(schema, c.req.query());
}

function textProblem(text: string): string | undefined {
  if (text.includes("\u0000")) return "text cannot contain the NUL character (U+0000)";
  if (!text.isWellFormed()) return "text is not valid Unicode (a lone surrogate)";
  return undefined;
}

/**
 * The first string (key or value) in `value` that PostgreSQL cannot store as text, described:
 * it refuses NUL outright, and a lone surrogate is not Unicode at all (it would be stored as
 * U+FFFD, or fail in a jsonb column). A loop, not recursion: JSON nested 100 000 deep parses.
 */
function unstorableText(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      const problem = textProblem(v);
      if (problem) return path ? `${path}: ${problem}` : problem;
    } else if (typeof v === "object" && v !== null) {
      for (const [key, child] of Object.entries(v)) {
        const problem = textProblem(key);
        if (problem) return path ? `${path}: ${problem}` : problem;
        stack.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return undefined;
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const unstorable = unstorableText(value);
  if (unstorable) throw new BadRequestError(unstorable);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequestError(describeZodError(parsed.error));
  return parsed.data;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The `:id` path parameter as a UUID, or a 400 naming what it should identify. */
export function uuidParam(c: Ctx, what: string): string {
  const id = c.req.param("id") ?? "";
  if (!UUID_RE.test(id)) throw new BadRequestError(`Invalid ${what} id "${id}": expected a UUID`);
  return id.toLowerCase();
}
