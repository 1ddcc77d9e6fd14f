import assert from "node:assert/strict";
import {
  countSms,
  hasReplaceableTypography,
  isGsmChar,
  replaceTypography,
} from "@/lib/shared/sms_segments.ts";

const cases: {
  name: string;
  text: string;
  encoding: "GSM-7" | "UCS-2";
  units: number;
  segments: number;
  remaining: number;
}[] = [
  { name: "empty", text: "", encoding: "GSM-7", units: 0, segments: 0, remaining: 160 },
  { name: "short ASCII", text: "Hello", encoding: "GSM-7", units: 5, segments: 1, remaining: 155 },
  {
    name: "160 GSM is one segment",
    text: "a".repeat(160),
    encoding: "GSM-7",
    units: 160,
    segments: 1,
    remaining: 0,
  },
  {
    name: "161 GSM is two segments of 153",
    text: "a".repeat(161),
    encoding: "GSM-7",
    units: 161,
    segments: 2,
    remaining: 145,
  },
  {
    name: "306 GSM fills two",
    text: "a".repeat(306),
    encoding: "GSM-7",
    units: 306,
    segments: 2,
    remaining: 0,
  },
  {
    name: "307 GSM needs three",
    text: "a".repeat(307),
    encoding: "GSM-7",
    units: 307,
    segments: 3,
    remaining: 152,
  },
  {
    name: "extension chars cost two septets",
    text: "€[]",
    encoding: "GSM-7",
    units: 6,
    segments: 1,
    remaining: 154,
  },
  {
    name: "accented GSM letters stay GSM",
    text: "Café à Zürich",
    encoding: "GSM-7",
    units: 13,
    segments: 1,
    remaining: 147,
  },
  {
    name: "smart quote forces UCS-2",
    text: "It\u2019s here",
    encoding: "UCS-2",
    units: 9,
    segments: 1,
    remaining: 61,
  },
  {
    name: "70 UCS-2 is one segment",
    text: "\u2019".repeat(70),
    encoding: "UCS-2",
    units: 70,
    segments: 1,
    remaining: 0,
  },
  {
    name: "71 UCS-2 is two of 67",
    text: "\u2019".repeat(71),
    encoding: "UCS-2",
    units: 71,
    segments: 2,
    remaining: 63,
  },
  {
    name: "an emoji is two UCS-2 units",
    text: "Hi 👋",
    encoding: "UCS-2",
    units: 5,
    segments: 1,
    remaining: 65,
  },
];

for (const c of cases) {
  Deno.test(`countSms: ${c.name}`, () => {
    const r = countSms(c.text);
    assert.equal(r.encoding, c.encoding);
    assert.equal(r.units, c.units);
    assert.equal(r.segments, c.segments);
    assert.equal(r.remaining, c.remaining);
  });
}

Deno.test("countSms: an escape pair is never split across segments", () => {
  // 152 plain septets then '€' (2 septets) would straddle the 153 boundary: it moves whole.
  const r = countSms("a".repeat(152) + "€" + "a".repeat(10));
  assert.equal(r.units, 164);
  assert.equal(r.segments, 2);
  assert.equal(r.remaining, 153 - 12);
});

Deno.test("countSms: a surrogate pair is never split across segments", () => {
  const r = countSms("x".repeat(66) + "😀" + "x".repeat(10));
  assert.equal(r.units, 78);
  assert.equal(r.segments, 2);
  assert.equal(r.remaining, 67 - 12);
});

Deno.test("countSms: names the characters that force UCS-2, once each", () => {
  const r = countSms("\u201CHi\u201D \u201Cthere\u201D 👋");
  assert.deepEqual(r.unicodeChars, ["\u201C", "\u201D", "👋"]);
  assert.equal(r.characters, 14);
});

Deno.test("isGsmChar: basic, extension and outside", () => {
  assert.ok(isGsmChar("A"));
  assert.ok(isGsmChar("€"));
  assert.ok(isGsmChar("\n"));
  assert.ok(!isGsmChar("\u2019"));
  assert.ok(!isGsmChar("ç"));
});

Deno.test("replaceTypography: brings a pasted text back to GSM-7", () => {
  const text = "\u201CWe\u2019re open\u201D \u2014 9\u201317\u2026";
  assert.ok(hasReplaceableTypography(text));
  const plain = replaceTypography(text);
  assert.equal(plain, '"We\'re open" - 9-17...');
  assert.equal(countSms(plain).encoding, "GSM-7");
  assert.ok(!hasReplaceableTypography(plain));
});
