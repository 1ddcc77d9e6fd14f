// SMS length arithmetic as carriers do it: GSM-7 septets or UCS-2 code units, split into
// segments whose user-data headers eat 7 septets (or 3 UCS-2 units) when there is more than one.

/** The GSM 03.38 default alphabet (ESC, which only introduces the extension table, left out). */
const GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/** Characters of the extension table: each costs an escape septet plus its own. */
const GSM_EXTENDED = "^{}\\[~]|€\f";

const BASIC = new Set(Array.from(GSM_BASIC));
const EXTENDED = new Set(Array.from(GSM_EXTENDED));

/** How a text would travel and what it costs. */
export interface SmsCount {
  encoding: "GSM-7" | "UCS-2";
  /** Characters as a person counts them (code points). */
  characters: number;
  /** Septets (GSM-7) or 16-bit code units (UCS-2): what the limits are counted in. */
  units: number;
  segments: number;
  /** Units one segment holds: 160/70 for a single message, 153/67 once split. */
  perSegment: number;
  /** Units still free in the last segment before another one starts. */
  remaining: number;
  /** The distinct characters that force UCS-2, in order of appearance. */
  unicodeChars: string[];
}

/** Whether one character is in the GSM-7 alphabet (basic or extension table). */
export function isGsmChar(ch: string): boolean {
  return BASIC.has(ch) || EXTENDED.has(ch);
}

// Packs characters of the given costs into segments of `size` without splitting one character
// (an escape pair or a surrogate pair) across two segments; returns the units used in each.
function pack(costs: number[], size: number): number[] {
  const segments: number[] = [];
  let used = 0;
  for (const cost of costs) {
    if (used + cost > size) {
      segments.push(used);
      used = 0;
    }
    used += cost;
  }
  segments.push(used);
  return segments;
}

/** Counts an SMS body: encoding, characters, segments and room left, as Twilio would bill it. */
export function countSms(text: string): SmsCount {
  const chars = Array.from(text);
  const unicodeChars = [...new Set(chars.filter((c) => !isGsmChar(c)))];
  const gsm = unicodeChars.length === 0;
  const costs = chars.map((c) => gsm ? (EXTENDED.has(c) ? 2 : 1) : c.length);
  const units = costs.reduce((a, b) => a + b, 0);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  const encoding = gsm ? "GSM-7" : "UCS-2";
  if (units === 0) {
    return {
      encoding,
      characters: 0,
      units,
      segments: 0,
      perSegment: single,
      remaining: single,
      unicodeChars,
    };
  }
  if (units <= single) {
    return {
      encoding,
      characters: chars.length,
      units,
      segments: 1,
      perSegment: single,
      remaining: single - units,
      unicodeChars,
    };
  }
  const parts = pack(costs, multi);
  return {
    encoding,
    characters: chars.length,
    units,
    segments: parts.length,
    perSegment: multi,
    remaining: multi - parts[parts.length - 1],
    unicodeChars,
  };
}

// Typographic characters that word processors and phones put in, with their GSM-7 look-alikes.
const REPLACEMENTS: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201A": "'",
  "\u201B": "'",
  "\u2032": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u201E": '"',
  "\u201F": '"',
  "\u2033": '"',
  "\u2013": "-",
  "\u2014": "-",
  "\u2212": "-",
  "\u2026": "...",
  "\u00A0": " ",
  "\u2009": " ",
  "\u202F": " ",
  "\u200B": "",
};

/** Whether `replaceTypography` would change anything in the text. */
export function hasReplaceableTypography(text: string): boolean {
  return Array.from(text).some((c) => c in REPLACEMENTS);
}

/** Swaps smart quotes, dashes, ellipses and odd spaces for their GSM-7 equivalents. */
export function replaceTypography(text: string): string {
  return Array.from(text, (c) => REPLACEMENTS[c] ?? c).join("");
}
