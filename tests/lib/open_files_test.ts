import assert from "node:assert/strict";

// A process started with a low soft limit, as a shell or service manager may start Hatch: Deno
// raises it to the hard one, and openFileLimit reports that.
Deno.test("a low soft open-file limit is raised to the hard one, and reported", async () => {
  const limits = await Deno.readTextFile("/proc/self/limits");
  const hard = /Max open files\s+\S+\s+(\d+|unlimited)/.exec(limits)![1];
  const script = `
    import { openFileLimit } from "${new URL("../../lib/open_files.ts", import.meta.url)}";
    console.log(openFileLimit());`;
  const out = await new Deno.Command("prlimit", {
    args: [`--nofile=256:${hard}`, Deno.execPath(), "eval", "--quiet", script],
    stderr: "inherit",
  }).output();
  assert.ok(out.success, "the child ran");
  const expected = hard === "unlimited" ? Infinity : Number(hard);
  assert.equal(Number(new TextDecoder().decode(out.stdout)), expected);
});
