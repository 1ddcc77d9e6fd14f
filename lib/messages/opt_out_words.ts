// Opt-outs in plain words: the FCC (24-18, in force since April 2025) requires honouring any
// reasonable way of saying "stop", not only the carriers' keywords.

// Whole-message phrasings; a longer text that merely mentions stopping is not an opt-out.
const PHRASES = [
  /^(please\s+)?(stop|quit|cease|no\s+more)\s+(texting|messaging|texts|messages|sending\s+(me\s+)?(texts|messages))(\s+me)?(\s+please)?$/,
  /^(please\s+)?(unsubscribe|remove|opt)\s+me(\s+out)?(\s+from\s+(this|your|the)\s+(list|texts|messages))?(\s+please)?$/,
  /^(please\s+)?(don'?t|do\s+not|never)\s+(text|message|contact|sms)\s+me(\s+again|\s+anymore|\s+any\s+more)?(\s+please)?$/,
  /^(please\s+)?take\s+me\s+off\s+(this|your|the)\s+list(\s+please)?$/,
  /^i\s+(want\s+to\s+)?(unsubscribe|opt\s+out)$/,
  /^leave\s+me\s+alone$/,
];

/** Whether a whole text is a plain-language opt-out ("please stop texting me", "unsubscribe me"). */
export function isPlainOptOut(body: string): boolean {
  const text = body.trim().toLowerCase().replace(/[’]/g, "'").replace(/[.!,]+/g, " ")
    .replace(/\s+/g, " ").trim();
  if (!text || text.length > 80) return false;
  return PHRASES.some((p) => p.test(text));
}
