// Numbers as people write them, read one way everywhere (lib/shared/phone.ts).
import assert from "node:assert/strict";
import { test } from "@/tests/helpers.ts";
import { readPhone } from "@/lib/shared/phone.ts";
import { parseRecipient, toE164 } from "@/lib/messages/address.ts";

const SMS: [string, string][] = [
  ["(415) 555-2671", "+14155552671"],
  ["415.555.2671", "+14155552671"],
  ["1 415 555 2671", "+14155552671"],
  ["415-555-2671", "+14155552671"],
  ["+1 (415) 555-2671", "+14155552671"],
  ["+44 20 7946 0321", "+442079460321"],
  ["001 415 555 2671", "+14155552671"],
  ["0044 20 7946 0321", "+442079460321"],
  ["011 44 20 7946 0321", "+442079460321"],
  ["(415) 555-0142", "+14155550142"],
  ["1-800-FLOWERS", "+18003569377"],
];

test("numbers as people write them read as the right E.164 number", () => {
  for (const [text, e164] of SMS) {
    const r = readPhone(text, "US");
    assert.equal(r.kind, "phone", `${text}: ${JSON.stringify(r)}`);
    assert.equal(r.kind === "phone" && r.e164, e164, text);
    assert.deepEqual(parseRecipient(text, "US"), { channel: "sms", address: e164 }, text);
  }
  const vanity = readPhone("1-800-FLOWERS", "US");
  assert.ok(vanity.kind === "phone" && vanity.vanity && vanity.display === "(800) 356-9377");
});

test("a number with a stray letter is refused in words, never taken for a name", () => {
  const r = readPhone("4155550100x", "US");
  assert.equal(r.kind, "bad");
  assert.match(r.kind === "bad" ? r.problem : "", /no letters/);
  assert.throws(
    () => parseRecipient("4155550100x", "US"),
    /Cannot send SMS to "4155550100x": not a valid phone number \(a phone number has no letters/,
  );
  assert.throws(() => toE164("+1 415 555", "US", "Cannot save phone"), /too few digits/);
});

test("names stay names, and a number still being typed is partial", () => {
  for (const name of ["Maria Chen", "101 Dalmatians", "Front desk", "7-Eleven"]) {
    assert.equal(readPhone(name, "US").kind, "none", name);
    assert.deepEqual(parseRecipient(name, "US"), { channel: "chat", address: name });
  }
  assert.equal(readPhone("(415) 55", "US").kind, "partial");
  assert.equal(readPhone("+44 20", "US").kind, "partial");
});
