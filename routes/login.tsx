import { getCookie } from "hono/cookie";
import { define, page } from "@/lib/web/define.ts";
import { clearSessionCookie, clientIp, setSessionCookie } from "@/lib/web/session_cookie.ts";
import { checkLogin, checkLoginCode } from "@/lib/auth/login.ts";
import { createSession, deleteSession, resolveSession } from "@/lib/auth/sessions.ts";
import { sessionCookieName, sessionPolicy } from "@/lib/auth/principal.ts";
import { requestPrincipal } from "@/lib/web/auth_gate.ts";
import { TooManyRequestsError } from "@/lib/errors.ts";
import type { Ctx } from "@/lib/web/define.ts";
import { Stylesheets } from "@/components/Stylesheets.tsx";

export const open = true;

interface LoginData {
  step: "password" | "code";
  error?: string;
  email?: string;
  next: string;
}

// Only paths on this site: never `//evil.example` or an absolute URL.
function safeNext(value: string | undefined | null): string {
  return value && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : "/";
}

async function pendingSession(c: Ctx) {
  const { sql, settings } = c.var.app;
  const token = getCookie(c, sessionCookieName(settings));
  const session = token ? await resolveSession(sql, token, sessionPolicy(settings)) : undefined;
  return session?.mfaPending ? session : undefined;
}

async function signIn(c: Ctx, userId: string, next: string, replacing?: string) {
  const { sql, settings } = c.var.app;
  if (replacing) await deleteSession(sql, replacing);
  // A new session id at every sign-in: a session fixed before login is worth nothing after.
  const { token } = await createSession(sql, {
    userId,
    policy: sessionPolicy(settings),
    ip: clientIp(c),
    userAgent: c.req.header("user-agent"),
  });
  setSessionCookie(c, token);
  return c.redirect(next, 303);
}

export const handler = define.handlers({
  async GET(c) {
    const next = safeNext(c.req.query("next"));
    const signedIn = await requestPrincipal(c, { cookieOnly: true });
    if (signedIn) return c.redirect(next, 303);
    const step = (await pendingSession(c)) ? "code" : "password";
    return page<LoginData>({ step, next });
  },
  async POST(c) {
    const { sql } = c.var.app;
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === "string" ? form[name] as string : "");
    const next = safeNext(field("next"));
    const ip = clientIp(c);
    const pending = await pendingSession(c);
    try {
      if (pending) {
        if (await checkLoginCode(sql, { userId: pending.userId, code: field("code"), ip })) {
          return await signIn(c, pending.userId, next, pending.id);
        }
        return page<LoginData>({ step: "code", next, error: "Wrong authentication code" }, 401);
      }
      const result = await checkLogin(sql, {
        // PostgreSQL text cannot hold NUL (the email goes to the throttle and the audit log),
        // and no account's email has one.
        email: field("email").replaceAll("\u0000", ""),
        password: field("password"),
        ip,
      });
      if (!result.ok) {
        return page<LoginData>({
          step: "password",
          next,
          email: field("email"),
          error: result.error,
        }, 401);
      }
      if (result.needsCode) {
        const { token } = await createSession(sql, {
          userId: result.userId,
          policy: { idleMinutes: 10, maxDays: 1 },
          mfaPending: true,
          ip,
        });
        setSessionCookie(c, token);
        return page<LoginData>({ step: "code", next });
      }
      return await signIn(c, result.userId, next);
    } catch (e) {
      if (!(e instanceof TooManyRequestsError)) throw e;
      c.header("Retry-After", String(e.retryAfterSeconds));
      clearSessionCookie(c);
      return page<LoginData>(
        { step: "password", next, email: field("email"), error: e.message },
        429,
      );
    }
  },
});

export default define.page<LoginData>(({ data }) => (
  <main class="login">
    <Stylesheets names={["callout", "auth"]} />
    <form class="login-card" method="post" action="/login">
      <h1 class="login-title">
        <img src="/static/favicon.svg" alt="" width="28" height="28" /> Hatch
      </h1>
      <p class="login-sub">
        {data.step === "code"
          ? "Enter the 6-digit code from your authenticator app"
          : "Sign in to your team's inbox"}
      </p>
      {data.error && <p class="callout callout-boxed login-error" role="alert">{data.error}</p>}
      <input type="hidden" name="next" value={data.next} />
      {data.step === "password"
        ? (
          <>
            <label>
              Email
              <input
                name="email"
                type="email"
                autocomplete="username"
                required
                value={data.email ?? ""}
                autofocus
              />
            </label>
            <label>
              Password
              <input name="password" type="password" autocomplete="current-password" required />
            </label>
          </>
        )
        : (
          <label>
            Authentication code
            <input
              name="code"
              inputMode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9 ]{6,7}"
              required
              autofocus
            />
          </label>
        )}
      <button type="submit" class="login-button">
        {data.step === "code" ? "Verify" : "Sign in"}
      </button>
    </form>
  </main>
));
