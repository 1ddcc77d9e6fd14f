import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "@/lib/web/define.ts";
import { logger } from "@/lib/log.ts";

const log = logger("http");

// No inline script anywhere; inline styles only because email bodies carry them.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Sets headers on the finished response in place. Hono's `c.header()` after the handler copies
 * the response around its body for each header; six copies per request kept each answer alive
 * long enough to be promoted out of the young generation, which made its collections slow
 * (README, "Page tails"). A response whose headers cannot change is copied once.
 */
function setHeaders(c: Context<AppEnv>, headers: [string, string][]): void {
  try {
    for (const [name, value] of headers) c.res.headers.set(name, value);
  } catch {
    c.res = new Response(c.res.body, c.res);
    for (const [name, value] of headers) c.res.headers.set(name, value);
  }
}

let corsFor: { origins: string; handler: MiddlewareHandler } | undefined;

/**
 * Every request: an id (X-Request-Id), browser hardening headers, CORS only for the origins
 * HATCH_CORS_ORIGINS names, writes from foreign origins refused, and one log line.
 */
export const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  const { settings } = c.var.app;
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  const allowed = settings.HATCH_CORS_ORIGINS.split(",").map((s) => s.trim()).filter(Boolean);
  const origin = c.req.header("origin");
  // Only a write that names an origin needs its own origins (two URL parses a request otherwise).
  const foreign = origin && UNSAFE.has(c.req.method) &&
    ![new URL(settings.publicUrl).origin, new URL(c.req.url).origin].includes(origin);
  if (foreign && !allowed.includes(origin)) {
    return c.json(
      { success: false, error: `Requests from origin "${origin}" are not allowed` },
      403,
    );
  }
  if (allowed.length) {
    if (corsFor?.origins !== settings.HATCH_CORS_ORIGINS) {
      corsFor = {
        origins: settings.HATCH_CORS_ORIGINS,
        handler: cors({
          origin: allowed,
          allowHeaders: ["authorization", "content-type", "idempotency-key"],
        }),
      };
    }
    await corsFor.handler(c, next);
  } else {
    await next();
  }
  const headers: [string, string][] = [
    ["X-Request-Id", requestId],
    ["Content-Security-Policy", CSP],
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "same-origin"],
    ["X-Frame-Options", "DENY"],
  ];
  if (settings.publicUrl.startsWith("https://")) {
    headers.push(["Strict-Transport-Security", "max-age=31536000; includeSubDomains"]);
  }
  setHeaders(c, headers);
  log.info("{method} {path} {status} in {ms} ms", {
    requestId,
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    user: c.get("principal")?.email,
  });
};
