import assert from "node:assert/strict";
import { conversationId } from "@/lib/conversations/conversation_id.ts";
import { test } from "@/tests/helpers.ts";

// Expected values computed with the seed's Python:
// UUID(hashlib.sha256(''.join(sorted([a, b])).encode()).hexdigest()[:32])
test("conversation id matches the seed's function for a phone pair", () => {
  assert.equal(
    conversationId("+15005550006", "+14155550100"),
    "2b7c4481-1eb5-7d66-a3f4-922b5c69cbb3",
  );
});

test("conversation id is the same whichever side comes first", () => {
  assert.equal(
    conversationId("Alice", "Jessica"),
    conversationId("Jessica", "Alice"),
  );
  assert.equal(conversationId("Jessica", "Alice"), "4da4a2ff-d5ca-2787-bdf9-cc0c8ce4782b");
});
