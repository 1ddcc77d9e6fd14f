import assert from "node:assert/strict";
import { toE164 } from "@/lib/messages/address.ts";
import { randomPhone, test } from "@/tests/helpers.ts";

test("the tests' random numbers are valid phone numbers", () => {
  for (let i = 0; i < 2000; i++) {
    const n = randomPhone();
    assert.equal(toE164(n, "US"), n);
  }
});
