// The container engine for tests/container: the docker daemon already running, or Debian's
// docker.io installed (as root, with apt-get) and a dockerd started here and stopped after.
const APT_PACKAGES = ["docker.io", "docker-compose", "debootstrap"];

/** What a command printed and how it ended. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; throws with what it printed unless `ok: false` says a failure is fine. */
export async function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; ok?: boolean } = {},
): Promise<Ran> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd: options.cwd,
    env: { DOCKER_BUILDKIT: "0", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  const ran = { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
  if (ran.code !== 0 && options.ok !== false) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${ran.code}:\n${ran.stdout}\n${ran.stderr}`);
  }
  return ran;
}

async function which(name: string): Promise<string | undefined> {
  const found = await run("sh", ["-c", `command -v ${name}`], { ok: false });
  return found.code === 0 ? found.stdout.trim() : undefined;
}

/** A running engine: the clients to use and how to stop what this run started. */
export interface Engine {
  docker: string;
  compose: string;
  stop(): Promise<void>;
}

/** Polls `check` every 250 ms until it answers true (the daemon and containers have no event). */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The engine, or the reason there can be none on this machine (the test then skips). */
export async function containerEngine(): Promise<Engine | string> {
  const missing = [];
  for (const tool of ["dockerd", "docker-compose", "debootstrap"]) {
    if (!await which(tool)) missing.push(tool);
  }
  if (missing.length) {
    if (Deno.uid() !== 0 || !await which("apt-get")) {
      return `${missing.join(", ")} missing, and no apt-get as root to install ${
        APT_PACKAGES.join(" ")
      }`;
    }
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    await run("apt-get", ["update", "-qq"], { env, ok: false });
    const installed = await run(
      "apt-get",
      ["install", "-y", "-qq", "-o", "DPkg::Lock::Timeout=600", ...APT_PACKAGES],
      { env, ok: false },
    );
    if (installed.code !== 0) return `apt-get install ${APT_PACKAGES.join(" ")} failed`;
  }
  if (!await which("npm")) return "npm (to fetch Deno's binary for the stand-in) is missing";
  // Debian's client: the one first on PATH may lack the classic builder's companions.
  const docker = await Deno.stat("/usr/bin/docker").then(() => "/usr/bin/docker", () => "docker");
  const compose = (await which("docker-compose"))!;
  const alive = async () => (await run(docker, ["info"], { ok: false })).code === 0;
  if (await alive()) return { docker, compose, stop: async () => {} };
  const log = await Deno.makeTempFile({ prefix: "hatch-dockerd-", suffix: ".log" });
  const out = await Deno.open(log, { write: true });
  const daemon = new Deno.Command("dockerd", {
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  void daemon.stdout.pipeTo(out.writable, { preventClose: true }).catch(() => {});
  void daemon.stderr.pipeTo(out.writable).catch(() => {});
  const stop = async (keepLog = false) => {
    try {
      daemon.kill("SIGTERM");
    } catch { /* already gone */ }
    await daemon.status;
    if (!keepLog) await Deno.remove(log).catch(() => {});
  };
  try {
    await until("dockerd answers", alive, 60_000);
  } catch (e) {
    await stop(true);
    // Installed but not starting is a failure, not a reason to skip.
    throw new Error(`dockerd did not start: ${e}; its log is ${log}`);
  }
  return { docker, compose, stop: () => stop() };
}
