// The sends of bench/chaos.ts: one SMS per send to a number of its own, posted with its
// Idempotency-Key and a deadline, so that a send left unanswered shows as such.

/** Every request is to be answered (or refused) within this; a fetch gives up after it. */
export const ANSWER_WITHIN_MS = 10_000;

/** One send of the run: what was posted, how it was answered, and how its retry was. */
export interface Send {
  i: number;
  key: string;
  body: { to: string; content: string };
  ms: number;
  status: number; // 0: no answer (network error or timeout)
  messageId?: string;
  error?: string;
  retry?: { status: number; messageId?: string; tries: number };
}

/** The `i`th send's recipient. */
export function phone(i: number): string {
  // Valid US numbers (exchange 2xx–9xx, never N11), one per send.
  const exchange = 200 + (i % 700);
  const valid = exchange % 100 === 11 ? exchange + 1 : exchange;
  return `+1415${valid}${String(i % 10_000).padStart(4, "0")}`;
}

/** POSTs a send to /api/send_message with its key; status 0 when no answer came in time. */
export async function post(
  url: string,
  token: string,
  send: Pick<Send, "key" | "body">,
): Promise<{ status: number; messageId?: string; error?: string; ms: number }> {
  const started = performance.now();
  try {
    const res = await fetch(`${url}/api/send_message`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "idempotency-key": send.key,
      },
      body: JSON.stringify(send.body),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    const json = await res.json().catch(() => ({}));
    return {
      status: res.status,
      messageId: json.message_id,
      error: json.error,
      ms: performance.now() - started,
    };
  } catch (e) {
    return { status: 0, error: String(e), ms: performance.now() - started };
  }
}
