import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { DatabaseUnavailableError, HatchError, TooManyRequestsError } from "@/lib/errors.ts";
import { isDatabaseUnavailable } from "@/lib/db/connect.ts";
import { logger } from "@/lib/log.ts";

const log = logger("http");

/** Describes a zod failure in words: `to: Invalid phone number` style, first issue first. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

/** Maps any thrown error to the JSON error answer: a 4xx with words, or a bare 500. */
export function errorResponse(c: Context, err: unknown): Response {
  if (!(err instanceof HatchError) && isDatabaseUnavailable(err)) {
    err = new DatabaseUnavailableError(err instanceof Error ? err.message : String(err));
  }
  if (err instanceof TooManyRequestsError || err instanceof DatabaseUnavailableError) {
    c.header("Retry-After", String(err.retryAfterSeconds));
  }
  if (err instanceof HatchError) {
    return c.json({ success: false, error: err.message }, err.status as 400);
  }
  if (err instanceof z.ZodError) {
    return c.json({ success: false, error: describeZodError(err) }, 400);
  }
  if (err instanceof HTTPException) {
    return c.json({ success: false, error: err.message || "Bad request" }, err.status);
  }
  log.error("Unhandled error on {method} {path}: {error}", {
    method: c.req.method,
    path: c.req.path,
    error: err instanceof Error ? (err.stack ?? err.message) : String(err),
  });
  return c.json({ success: false, error: "Internal error: the server could not answer" }, 500);
}
