// Every action the code writes to the audit log has words in the settings page's log (and a place
// in its filter): an action without them showed as its raw name, `contacts.import_started`.
import assert from "node:assert/strict";
import { test } from "@/tests/helpers.ts";
import { actionLabel, AUDIT_ACTIONS } from "@/lib/settings/format.ts";

const ROOT = new URL("../../", import.meta.url);

// The actions some calls build from a value: each template, with every value it can take.
const TEMPLATES: Record<string, string[]> = {
  "broadcast.${action}": ["broadcast.pause", "broadcast.resume", "broadcast.cancel"],
  "schedule.${target.kind}.edited": ["schedule.message.edited", "schedule.email.edited"],
  "schedule.${target.kind}.cancelled": ["schedule.message.cancelled", "schedule.email.cancelled"],
  "user.${verb}d": ["user.disabled", "user.enabled"],
  'conversation.${state === "open" ? "reopened" : state}': [
    "conversation.reopened",
    "conversation.closed",
    "conversation.snoozed",
  ],
};

async function sources(dir: URL, out: string[] = []): Promise<string[]> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) await sources(url, out);
    else if (/\.tsx?$/.test(entry.name)) out.push(await Deno.readTextFile(url));
  }
  return out;
}

/** The actions written by `audit(sql, actor, "<action>", …)` calls, and by the sends' statement. */
async function auditedActions(): Promise<Set<string>> {
  const found = new Set<string>();
  const texts = [
    ...await sources(new URL("lib/", ROOT)),
    ...await sources(new URL("routes/", ROOT)),
  ];
  for (const text of texts) {
    // The third argument of each call: the first string or template after two commas.
    for (
      const m of text.matchAll(/\baudit\(\s*[^,]+,\s*(?:\{[^}]*\}|[^,]+),\s*(["`])([^"`]+)\1/g)
    ) {
      const action = m[2];
      if (!action.includes("${")) found.add(action);
      else {
        assert.ok(TEMPLATES[action], `audit action ${action}: list what it can be in TEMPLATES`);
        for (const a of TEMPLATES[action]) found.add(a);
      }
    }
    // The sends' statement writes its audit rows in SQL.
    for (const m of text.matchAll(/'(send\.message)'/g)) found.add(m[1]);
  }
  return found;
}

test("every audited action has words and a group in the log's filter", async () => {
  const actions = await auditedActions();
  assert.ok(actions.size > 30, `found ${actions.size} actions`);
  for (const required of ["login.succeeded", "send.message", "contacts.import_started"]) {
    assert.ok(actions.has(required), `the scan finds ${required}`);
  }
  const grouped = new Set(AUDIT_ACTIONS.flatMap((g) => g.actions.map(([a]) => a)));
  const missing = [...actions].filter((a) => actionLabel(a) === a || !grouped.has(a)).sort();
  assert.deepEqual(missing, [], "actions the log would show as raw names");
});
