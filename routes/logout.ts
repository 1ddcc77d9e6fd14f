import { define } from "@/lib/web/define.ts";
import { clearSessionCookie, clientIp } from "@/lib/web/session_cookie.ts";
import { requestPrincipal } from "@/lib/web/auth_gate.ts";
import { deleteSession } from "@/lib/auth/sessions.ts";
import { audit } from "@/lib/auth/audit.ts";
import { safeEqual } from "@/lib/auth/crypto.ts";
import { ForbiddenError } from "@/lib/errors.ts";

// Open so that a plain HTML form can post here; it checks the session and CSRF token itself.
export const open = true;

export const handler = define.handlers({
  async POST(c) {
    const { sql } = c.var.app;
    const p = await requestPrincipal(c, { cookieOnly: true });
    if (p?.sessionId) {
      const form = c.req.header("content-type")?.includes("form") ? await c.req.parseBody() : {};
      const sent = c.req.header("x-csrf-token") ??
        (typeof form._csrf === "string" ? form._csrf : "");
      if (!safeEqual(sent, p.csrfToken ?? "")) {
        throw new ForbiddenError("Missing or wrong CSRF token");
      }
      await deleteSession(sql, p.sessionId);
      await audit(sql, { userId: p.userId, label: p.email, ip: clientIp(c) }, "logout");
    }
    clearSessionCookie(c);
    return c.redirect("/login", 303);
  },
});
