import { getCookie } from "hono/cookie";
import { authenticate, type Principal } from "@/lib/auth/principal.ts";
import { safeEqual } from "@/lib/auth/crypto.ts";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors.ts";
import type { Ctx, RouteModule } from "./define.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Who sent the request: its bearer token or session cookie, or with `cookieOnly` the signed-in
 * browser alone (the login and logout pages deal in sessions, not tokens).
 */
export function requestPrincipal(
  c: Ctx,
  options: { cookieOnly?: boolean } = {},
): Promise<Principal | undefined> {
  const { sql, settings } = c.var.app;
  return authenticate(sql, settings, {
    header: (name) => options.cookieOnly ? undefined : c.req.header(name),
    cookie: (name) => getCookie(c, name),
  });
}

/**
 * Lets a request through to a closed route only with a live session or API token: pages
 * redirect to the login, the API answers 401. Cookie-authenticated writes must carry the
 * session's CSRF token; admin-only routes refuse agents.
 */
export async function requireAuth(c: Ctx, route: RouteModule): Promise<Response | undefined> {
  // Taken before the lookup: an auth change heard during it may not be in what it read.
  c.set("authVersion", c.var.app.hub.authVersion());
  const principal = await requestPrincipal(c);
  if (!principal) {
    if (route.default && c.req.method === "GET") {
      const url = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
    }
    throw new UnauthorizedError(
      "Sign in first, or send an API token as Authorization: Bearer <token>",
    );
  }
  if (principal.via === "session" && !SAFE_METHODS.has(c.req.method)) {
    const sent = c.req.header("x-csrf-token") ?? "";
    if (!safeEqual(sent, principal.csrfToken ?? "")) {
      throw new ForbiddenError("Missing or wrong CSRF token: send X-CSRF-Token from the page");
    }
  }
  if (route.adminOnly && principal.role !== "admin") {
    throw new ForbiddenError("Only admins can do this");
  }
  c.set("principal", principal);
  return undefined;
}
