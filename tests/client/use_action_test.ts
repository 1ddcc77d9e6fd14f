// runAction, the heart of useAction: busy around the work, a failure in words, never thrown.
import assert from "node:assert/strict";
import { runAction } from "@/lib/client/use_action.ts";
import { ApiError } from "@/lib/client/api.ts";

function recorder() {
  const log: string[] = [];
  return {
    log,
    on: {
      busy: (b: boolean) => log.push(`busy ${b}`),
      failed: (words: string) => log.push(`failed ${words}`),
    },
  };
}

Deno.test("runAction: busy while the work runs, then not; nothing failed", async () => {
  const { log, on } = recorder();
  await runAction(() => {
    log.push("work");
    return Promise.resolve();
  }, on);
  assert.deepEqual(log, ["busy true", "work", "busy false"]);
});

Deno.test("runAction: a failure is reported in the error's words and not thrown", async () => {
  const { log, on } = recorder();
  await runAction(() => Promise.reject(new ApiError("Token name is taken", 409)), on);
  await runAction(() => Promise.reject("plain text"), on);
  assert.deepEqual(log, [
    "busy true",
    "failed Token name is taken",
    "busy false",
    "busy true",
    "failed plain text",
    "busy false",
  ]);
});

Deno.test("runAction: `words` decides how an error reads", async () => {
  const { log, on } = recorder();
  const words = (e: unknown) => e instanceof ApiError ? e.message : "Could not change the password";
  await runAction(() => Promise.reject(new TypeError("x is undefined")), { ...on, words });
  assert.deepEqual(log, ["busy true", "failed Could not change the password", "busy false"]);
});
