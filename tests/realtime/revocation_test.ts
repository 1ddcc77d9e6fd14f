// An open event stream lasts only as long as the access it was opened with: revoking its token,
// disabling its user or ending its session closes it at once, however and wherever the change
// is made, while every other stream stays open.
import assert from "node:assert/strict";
import { connect } from "@/lib/db/connect.ts";
import { createApiToken, revokeApiToken } from "@/lib/auth/tokens.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { createUser, setUserDisabled } from "@/lib/auth/users.ts";
import { sessionPolicy } from "@/lib/auth/principal.ts";
import { openEventStream } from "@/lib/realtime/sse.ts";
import { randomEmail, startTestApp, test } from "@/tests/helpers.ts";
import { createConversation, eventIds, SseReader, until } from "./support.ts";

const t = await startTestApp();

// Notifications arrive in milliseconds; without the re-check a stream stays open for
// HATCH_SSE_MAX_SECONDS (900 s).
const PROMPTLY_MS = 3_000;

async function agent(): Promise<string> {
  const user = await createUser(t.ctx.sql, {
    email: randomEmail(),
    role: "agent",
    password: `correct horse ${crypto.randomUUID()}`,
  });
  return user.id;
}

async function freshToken(userId: string, expiresAt?: Date) {
  const { token, apiToken } = await createApiToken(t.ctx.sql, { userId, name: "sse", expiresAt });
  return { token, id: apiToken.id };
}

async function freshSession(userId: string) {
  const { token, csrfToken } = await createSession(t.ctx.sql, {
    userId,
    policy: sessionPolicy(t.ctx.settings),
  });
  return { cookie: `hatch_session=${token}`, csrfToken };
}

/** An open stream for these headers, past its `connected` frame. */
async function stream(headers: Record<string, string>): Promise<SseReader> {
  const res = await t.raw.request("/api/events", { headers });
  assert.equal(res.status, 200);
  const sse = new SseReader(res);
  assert.equal((await sse.next())?.event, "connected");
  return sse;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Asserts the stream still carries the next change: a stream nobody's access ended. */
async function stillLive(sse: SseReader): Promise<void> {
  const conversationId = await createConversation(t.ctx.sql);
  const [id] = await eventIds(t.ctx.sql, { conversationId });
  await sse.eventsThrough(id);
  await sse.cancel();
}

test("revoking a token through the service ends its streams at once, and only theirs", async () => {
  const userId = await agent();
  const revoked = await freshToken(userId);
  const kept = await freshToken(userId);
  const a = await stream(bearer(revoked.token));
  const b = await stream(bearer(revoked.token));
  const other = await stream(bearer(kept.token));
  await revokeApiToken(t.ctx.sql, revoked.id);
  await a.ended(PROMPTLY_MS);
  await b.ended(PROMPTLY_MS);
  await stillLive(other);
});

test("a token revoked with plain SQL from another connection ends its streams", async () => {
  const { token, id } = await freshToken(await agent());
  const sse = await stream(bearer(token));
  const other = connect(t.databaseUrl, { max: 1 });
  try {
    await other`update api_tokens set revoked_at = now() where id = ${id}`;
  } finally {
    await other.end();
  }
  await sse.ended(PROMPTLY_MS);
});

test("disabling a user ends the streams of their tokens and their sessions", async () => {
  const userId = await agent();
  const { token } = await freshToken(userId);
  const { cookie } = await freshSession(userId);
  const byToken = await stream(bearer(token));
  const bySession = await stream({ cookie });
  const bystander = await stream(bearer((await freshToken(await agent())).token));
  await setUserDisabled(t.ctx.sql, userId, true);
  await byToken.ended(PROMPTLY_MS);
  await bySession.ended(PROMPTLY_MS);
  await stillLive(bystander);
});

test("a user disabled with plain SQL loses their token's streams", async () => {
  const userId = await agent();
  const sse = await stream(bearer((await freshToken(userId)).token));
  const other = connect(t.databaseUrl, { max: 1 });
  try {
    await other`update users set disabled_at = now() where id = ${userId}`;
  } finally {
    await other.end();
  }
  await sse.ended(PROMPTLY_MS);
});

test("logging out ends that session's streams, not the user's other sessions'", async () => {
  const userId = await agent();
  const out = await freshSession(userId);
  const stays = await freshSession(userId);
  const a = await stream({ cookie: out.cookie });
  const b = await stream({ cookie: stays.cookie });
  const res = await t.raw.request("/logout", {
    method: "POST",
    headers: { cookie: out.cookie, "x-csrf-token": out.csrfToken },
  });
  assert.equal(res.status, 303);
  await a.ended(PROMPTLY_MS);
  await stillLive(b);
});

test("a session deleted with plain SQL ends its streams", async () => {
  const { cookie } = await freshSession(await agent());
  const sse = await stream({ cookie });
  const other = connect(t.databaseUrl, { max: 1 });
  try {
    await other`delete from sessions where id = encode(sha256(${
      cookie.split("=")[1]
    }::bytea), 'hex')`;
  } finally {
    await other.end();
  }
  await sse.ended(PROMPTLY_MS);
});

test("a stream ends when its token expires, with no change to hear", async () => {
  const { token } = await freshToken(await agent(), new Date(Date.now() + 1_000));
  const sse = await stream(bearer(token));
  await sse.ended(1_000 + PROMPTLY_MS);
});

test("a stream whose principal predates an auth change is re-checked as it subscribes", async () => {
  // The race this covers: a token is looked up, then revoked and the open streams re-checked,
  // and only then does the stream it authorised subscribe.
  const userId = await agent();
  const { id } = await freshToken(userId);
  const before = t.ctx.hub.authVersion();
  await revokeApiToken(t.ctx.sql, id);
  await until(() => t.ctx.hub.authVersion() > before, "the hub hears the revoke");
  const sse = new SseReader(openEventStream({
    hub: t.ctx.hub,
    sql: t.ctx.sql,
    keepaliveSeconds: 30,
    maxSeconds: 900,
    principal: { userId, email: "agent@example.com", role: "agent", via: "token", tokenId: id },
    authVersion: before,
  }));
  await sse.ended(PROMPTLY_MS);
});
