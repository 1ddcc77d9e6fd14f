// Delivery problems in words: what carriers' codes mean for the reader, and whether sending the
// same text again could help.

/** An opt-out as the thread says it: a word they replied, or the carrier's refusal. */
export function optOutWords(keyword: string): { short: string; long: string } {
  // Stored by optOutAfterProviderRefusal as "provider: unsubscribed (21610)".
  const refusal = /^provider: unsubscribed(?: \((\w+)\))?$/i.exec(keyword);
  if (refusal) {
    const code = refusal[1] ? ` (carrier code ${refusal[1]})` : "";
    return {
      short: `this number has unsubscribed from your texts${code}`,
      long: `This number has unsubscribed from your texts${code}`,
    };
  }
  const word = keyword.toUpperCase();
  return { short: `they replied ${word}`, long: `Replied ${word}` };
}

// Twilio's codes for failures no second try can mend: the number is not one, cannot take texts,
// or its owner unsubscribed. Others (unreachable for now, a carrier hiccup) may pass later.
const PERMANENT_SMS_CODES = new Set(["21211", "21214", "21610", "21614", "30005", "30006"]);

/** Whether a failed message's error code says sending it again cannot help. */
export function isPermanentFailure(code: string | null | undefined): boolean {
  return !!code && PERMANENT_SMS_CODES.has(code);
}
