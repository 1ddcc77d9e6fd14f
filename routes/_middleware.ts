import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../lib/web/define.ts";
import { logger } from "../lib/log.ts";

const log = logger("http");

/** Gives every request an id (echoed as X-Request-Id) and logs it with its outcome and time. */
export const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  await next();
  c.header("X-Request-Id", requestId);
  log.info("{method} {path} {status} in {ms} ms", {
    requestId,
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Math.round((performance.now() - started) * 10) / 10,
  });
};
