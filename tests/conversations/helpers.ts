// Helpers for the team inbox tests: teammates with their own tokens, conversations made through
// the API, and a customer's reply through the sandbox simulator.
import { createUser } from "@/lib/auth/users.ts";
import { createApiToken } from "@/lib/auth/tokens.ts";
import { smsFromAddress } from "@/lib/providers/select.ts";
import { receiveInboundSms } from "@/lib/messages/service.ts";
import { conversationId } from "@/lib/conversations/conversation_id.ts";
import {
  jsonRequest,
  randomPhone,
  type Requester,
  type TestApp,
  withToken,
} from "@/tests/helpers.ts";

/** A teammate: their id, name and an app that asks as them. */
export interface Mate {
  id: string;
  name: string;
  app: Requester;
}

/** Creates a teammate (an agent unless asked) with an API token. */
export async function teammate(
  t: TestApp,
  name: string,
  role: "admin" | "agent" = "agent",
): Promise<Mate> {
  const user = await createUser(t.ctx.sql, {
    email: `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}@test.example`,
    name,
    role,
    password: `pw-${crypto.randomUUID()}`,
  });
  const { token } = await createApiToken(t.ctx.sql, { userId: user.id, name: "tests" });
  return { id: user.id, name, app: withToken(t.raw, token) };
}

/** A new SMS conversation the customer started (so nobody is assigned); returns its id. */
export async function customerWrites(t: TestApp, body = "hello"): Promise<string> {
  const ours = smsFromAddress(t.ctx.settings);
  const from = randomPhone();
  await receiveInboundSms(t.ctx.sql, {
    from,
    to: ours,
    body,
    provider: "sandbox",
    providerMessageId: `SMt${crypto.randomUUID().replaceAll("-", "")}`,
  });
  return conversationId(ours, from);
}

/** The customer answers in an SMS conversation (the sandbox simulator). */
export async function reply(t: TestApp, conversationId: string, body = "again"): Promise<void> {
  const res = await jsonRequest(t.app, "/api/sandbox/inbound", {
    conversation_id: conversationId,
    body,
  });
  if (res.status !== 201) throw new Error(`Inbound failed: ${await res.text()}`);
}

/** PATCHes a conversation; returns the response. */
export function patch(app: Requester, id: string, body: unknown): Promise<Response> {
  return Promise.resolve(app.request(`/api/conversation/${id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }));
}

/** GETs JSON, failing on a non-2xx answer. */
export async function getJson<T = Record<string, unknown>>(
  app: Requester,
  path: string,
): Promise<T> {
  const res = await app.request(path);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return await res.json() as T;
}
