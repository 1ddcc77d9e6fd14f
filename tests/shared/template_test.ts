import assert from "node:assert/strict";
import { contactValues, fillTemplate, unfilled, variablesIn } from "@/lib/shared/template.ts";
import { test } from "@/tests/helpers.ts";

test("variables are filled; missing ones are reported, blank or kept for a person to fill", () => {
  const values = { ...contactValues("Ana María López", "+14155550100"), "agent.name": "" };
  const body = "Hi {{ contact.first_name }}, {{agent.name}} here. {{contact.last_name}}?";
  assert.deepEqual(fillTemplate(body, values), {
    text: "Hi Ana,  here. López?",
    missing: ["agent.name"],
    unknown: [],
  });
  assert.equal(
    fillTemplate(body, values, { keepMissing: true }).text,
    "Hi Ana, {{agent.name}} here. López?",
  );
  assert.deepEqual(fillTemplate("{{contact.nickname}}", {}).unknown, ["contact.nickname"]);
  assert.deepEqual(variablesIn("{{a.b}} {{A.B}} {{c}}"), ["a.b", "c"]);
  assert.deepEqual(unfilled("nothing left"), []);
  assert.deepEqual(contactValues(null, "+1"), {
    "contact.name": "",
    "contact.first_name": "",
    "contact.last_name": "",
    "contact.phone": "+1",
  });
});
