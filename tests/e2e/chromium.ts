// Finds Debian's Chromium for the browser tests, installing it with apt-get when we can.
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

async function found(): Promise<string | undefined> {
  for (const path of [Deno.env.get("HATCH_CHROMIUM") ?? "", ...CANDIDATES]) {
    if (!path) continue;
    try {
      await Deno.stat(path);
      return path;
    } catch { /* next */ }
  }
  return undefined;
}

const EMOJI_FONT = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";

/** Installs Debian's colour emoji font when root and missing, so screenshots show emoji rather than boxes; best effort. */
export async function ensureEmojiFont(): Promise<void> {
  try {
    await Deno.stat(EMOJI_FONT);
    return;
  } catch { /* not installed */ }
  if (Deno.uid?.() !== 0) return;
  await new Deno.Command("apt-get", {
    args: ["install", "-y", "-qq", "fonts-noto-color-emoji"],
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdout: "null",
    stderr: "null",
  }).output().catch(() => {});
}

/** The path of a Chromium binary; installs Debian's package when root, or fails in words. */
export async function ensureChromium(): Promise<string> {
  const existing = await found();
  if (existing) {
    await ensureEmojiFont();
    return existing;
  }
  if (Deno.uid?.() === 0) {
    console.log("Installing Chromium for the browser tests (apt-get install chromium)…");
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    await new Deno.Command("apt-get", { args: ["update", "-qq"], env }).output();
    const out = await new Deno.Command("apt-get", {
      args: ["install", "-y", "-qq", "chromium"],
      env,
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (out.success) {
      const path = await found();
      if (path) return path;
    }
  }
  throw new Error(
    "The browser tests need Chromium: install it (apt-get install chromium), point " +
      "HATCH_CHROMIUM at one, or set HATCH_SKIP_BROWSER=1 to skip them",
  );
}
