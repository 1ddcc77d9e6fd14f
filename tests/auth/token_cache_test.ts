// API tokens are cached for a few seconds per process, yet revoking a token or disabling its
// user ends access at once: in the process that made the change, and in every other one as
// soon as PostgreSQL's notification reaches it (the cache would keep it for 10 s).
import assert from "node:assert/strict";
import { connect } from "@/lib/db/connect.ts";
import { listen } from "@/lib/db/listener.ts";
import type { Tx } from "@/lib/db/connect.ts";
import { cachedApiToken, createApiToken, forgetTokens } from "@/lib/auth/tokens.ts";
import { createUser, setUserDisabled } from "@/lib/auth/users.ts";
import { randomEmail, startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp();

async function status(token: string): Promise<number> {
  const res = await t.raw.request("/api/me", { headers: { authorization: `Bearer ${token}` } });
  await res.body?.cancel();
  return res.status;
}

async function freshToken(userId = t.userId): Promise<string> {
  const { token } = await createApiToken(t.ctx.sql, { userId, name: "cached" });
  assert.equal(await status(token), 200, "accepted, and now cached");
  assert.equal(await status(token), 200, "accepted again");
  return token;
}

test("a token revoked by another process (the CLI, plain SQL) is refused once its NOTIFY arrives", async () => {
  const token = await freshToken();
  const other = connect(t.databaseUrl, { max: 1 });
  const heard = Promise.withResolvers<void>();
  const listening = await listen({
    url: t.databaseUrl,
    channels: { hatch_auth: () => heard.resolve() },
    onListen: () => {},
  });
  try {
    await other`update api_tokens set revoked_at = now() where token_hash = encode(sha256(${token}::bytea), 'hex')`;
    await heard.promise;
    // The app's listener hears the same notification at about the same moment: well within
    // 2 s, where the cache alone would keep the token for 10.
    const deadline = Date.now() + 2_000;
    let last = 200;
    while (Date.now() < deadline && (last = await status(token)) === 200) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(last, 401);
  } finally {
    await listening.stop();
    await other.end();
  }
});

test("disabling a user refuses their cached token at once in this process", async () => {
  const user = await createUser(t.ctx.sql, {
    email: randomEmail(),
    role: "agent",
    password: `correct horse ${crypto.randomUUID()}`,
  });
  const token = await freshToken(user.id);
  await setUserDisabled(t.ctx.sql, user.id, true);
  assert.equal(await status(token), 401);
  await setUserDisabled(t.ctx.sql, user.id, false);
  assert.equal(await status(token), 200, "enabled again");
});

test("a lookup that a change overtook answers its request but is not cached", async () => {
  // A stand-in database that counts lookups: the race needs forgetTokens() to land mid-query.
  let lookups = 0;
  const row = {
    id: crypto.randomUUID(),
    user_id: t.userId,
    last_used_at: new Date(),
    expires_at: null,
    email: "a@example.com",
    role: "agent",
  };
  const sql = (() => {
    lookups++;
    return Promise.resolve([row]);
  }) as unknown as Tx;
  const secret = `hatch_${crypto.randomUUID()}`;
  const pending = cachedApiToken(sql, secret);
  forgetTokens();
  assert.equal((await pending)?.tokenId, row.id);
  await cachedApiToken(sql, secret);
  assert.equal(lookups, 2, "the second request looked the token up again");
});
