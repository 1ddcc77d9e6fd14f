// Signs the browser tests in: a user made straight in the database, with a session cookie for
// the browser contexts and an API token for the test's own calls. Where the app has no
// accounts (auth not installed), there is nothing to sign in to and this returns null.
import { connect } from "@/lib/db/connect.ts";

/** What a test presents: the session cookie for browsers, a bearer token for fetch. */
export interface Credentials {
  cookie: { name: string; value: string };
  bearer: string;
  email: string;
}

/** Makes a user, a session and an API token on `databaseUrl`; null when there are no accounts. */
export async function makeCredentials(
  databaseUrl: string,
  wanted?: string,
): Promise<Credentials | null> {
  const sql = connect(databaseUrl, { max: 1 });
  try {
    const [table] = await sql`select to_regclass('public.users') as t`;
    if (!table?.t) return null;
    const { createUser } = await import("@/lib/auth/users.ts");
    const { createSession } = await import("@/lib/auth/sessions.ts");
    const { createApiToken } = await import("@/lib/auth/tokens.ts");
    const email = wanted ?? `agent-${crypto.randomUUID().slice(0, 8)}@marigold.shop`;
    const user = await createUser(sql, {
      email,
      role: "admin",
      password: `Tulip-${crypto.randomUUID()}`,
    });
    const { token } = await createSession(sql, {
      userId: user.id,
      policy: { idleMinutes: 720, maxDays: 1 },
    });
    const { token: bearer } = await createApiToken(sql, { userId: user.id, name: "e2e" });
    return { cookie: { name: "hatch_session", value: token }, bearer, email };
  } finally {
    await sql.end();
  }
}
