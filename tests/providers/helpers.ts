// What the provider tests share: an email to send, and the ProviderError a refused send throws.
import assert from "node:assert/strict";
import { type EmailRequest, ProviderError } from "@/lib/providers/types.ts";

/** An email from the team to Ada, threaded by its Message-ID, with `overrides`. */
export function emailRequest(overrides: Partial<EmailRequest> = {}): EmailRequest {
  return {
    emailId: crypto.randomUUID(),
    from: "team@hatch.example.com",
    to: ["ada@example.com"],
    cc: [],
    bcc: [],
    subject: "Your order",
    text: "Hello Ada",
    html: "<p>Hello Ada</p>",
    messageIdHeader: "<abc123@hatch.example.com>",
    ...overrides,
  };
}

/** The ProviderError that `provider.send(request)` throws; the test fails if it throws none. */
export async function sendError<R>(
  provider: { send(request: R): Promise<unknown> },
  request: R,
): Promise<ProviderError> {
  try {
    await provider.send(request);
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${error}`);
    return error;
  }
  assert.fail("the send should have failed");
}
