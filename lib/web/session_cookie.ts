import { deleteCookie, setCookie } from "hono/cookie";
import type { Ctx } from "./define.ts";
import { sessionCookieName } from "@/lib/auth/principal.ts";

/** Sets the session cookie: HttpOnly, SameSite=Lax, and Secure with `__Host-` behind HTTPS. */
export function setSessionCookie(c: Ctx, token: string): void {
  const { settings } = c.var.app;
  setCookie(c, sessionCookieName(settings), token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: settings.publicUrl.startsWith("https://"),
    path: "/",
    maxAge: settings.HATCH_SESSION_MAX_DAYS * 86_400,
  });
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(c: Ctx): void {
  const { settings } = c.var.app;
  deleteCookie(c, sessionCookieName(settings), {
    path: "/",
    secure: settings.publicUrl.startsWith("https://"),
  });
}

/** The client's IP: the socket's address (a proxy's X-Forwarded-For is not trusted). */
export function clientIp(c: Ctx): string {
  const info = (c.env as { remoteAddr?: { hostname?: string } } | undefined)?.remoteAddr;
  return info?.hostname ?? "unknown";
}
