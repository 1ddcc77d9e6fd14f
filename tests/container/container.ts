// `deno task test:container`: the real Dockerfile built and run, then docker-compose.yaml driven
// by exactly the README's "Deploy with Docker Compose" blocks. Not a *_test.ts file: the main
// suite does not run it (it needs root or a docker daemon, and minutes).
import assert from "node:assert/strict";
import { join } from "node:path";
import { freePort, waitForReady } from "@/lib/net.ts";
import { randomPhone } from "@/tests/helpers.ts";
import { containerEngine, type Engine, run, until } from "./engine.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const ID = `hatchct${crypto.randomUUID().slice(0, 6)}`;

/** The ```sh blocks of the README's Deploy section, in order. */
async function deployBlocks(): Promise<string[]> {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  const start = readme.indexOf("## Deploy with Docker Compose");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** Fails on any JSON log line at ERROR level. */
function assertNoErrorLines(logs: string, who: string): void {
  const errors = logs.split("\n").filter((l) => /"level":"(ERROR|FATAL)"/.test(l));
  assert.deepEqual(errors, [], `${who} logged errors`);
}

const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
  const began = performance.now();
  try {
    return await fn();
  } finally {
    console.log(`  ${what}: ${((performance.now() - began) / 1000).toFixed(1)} s`);
  }
};

/** The image alone: two replicas at once on one PostgreSQL, health, and a clean stop. */
async function imageChecks(e: Engine, image: string, scratch: string): Promise<void> {
  const d = (args: string[], ok = true) => run(e.docker, args, { ok });
  const net = `${ID}-net`, db = `${ID}-db`, apps = [`${ID}-app1`, `${ID}-app2`];
  const secret = join(scratch, "POSTGRES_PASSWORD");
  await Deno.writeTextFile(secret, crypto.randomUUID());
  await Deno.chmod(secret, 0o644);
  const secretMount = ["-v", `${secret}:/run/secrets/POSTGRES_PASSWORD:ro`];
  try {
    await d(["network", "create", net]);
    await d([
      "run",
      "-d",
      "--name",
      db,
      "--network",
      net,
      "-e",
      "POSTGRES_USER=hatch",
      "-e",
      "POSTGRES_DB=hatch",
      "-e",
      "POSTGRES_PASSWORD_FILE=/run/secrets/POSTGRES_PASSWORD",
      ...secretMount,
      "postgres:15",
    ]);
    await until(
      "PostgreSQL takes TCP connections",
      async () =>
        (await d(
          ["exec", db, "pg_isready", "-h", "127.0.0.1", "-U", "hatch", "-d", "hatch"],
          false,
        ))
          .code === 0,
      60_000,
    );

    // Both at once: migrations and the first admin under their locks.
    await Promise.all(apps.map((name) =>
      d([
        "run",
        "-d",
        "--name",
        name,
        "--network",
        net,
        "-p",
        "127.0.0.1::5002",
        "-e",
        `POSTGRES_HOST=${db}`,
        "-e",
        "POSTGRES_USER=hatch",
        "-e",
        "POSTGRES_DB=hatch",
        "-e",
        "HATCH_ADMIN_EMAIL=admin@example.com",
        ...secretMount,
        image,
      ])
    ));
    const urls = await Promise.all(apps.map(async (name) => {
      const port = (await d(["port", name, "5002"])).stdout.trim().split(":").pop();
      return `http://127.0.0.1:${port}`;
    }));
    for (const [i, url] of urls.entries()) {
      assert.ok(await waitForReady(url, 60_000), `${apps[i]} never became ready`);
      for (const path of ["/health", "/ready"]) {
        const res = await fetch(url + path);
        assert.equal(res.status, 200, `${apps[i]} ${path}`);
        await res.body?.cancel();
      }
    }
    const logs = await Promise.all(apps.map(async (n) => {
      const r = await d(["logs", n]);
      return r.stdout + r.stderr;
    }));
    assert.equal(logs.join("\n").match(/password: \S+/g)?.length, 1, "password printed once");
    const files = [...Deno.readDirSync(join(ROOT, "sql"))].filter((f) => f.name.endsWith(".sql"));
    const migrated = await d([
      "exec",
      db,
      "psql",
      "-U",
      "hatch",
      "-d",
      "hatch",
      "-Atc",
      "select count(*) || ' ' || count(distinct name) from schema_migrations",
    ]);
    assert.equal(migrated.stdout.trim(), `${files.length} ${files.length}`);
    await until(
      "the image's HEALTHCHECK reports healthy",
      async () =>
        (await d(["inspect", "-f", "{{.State.Health.Status}}", apps[0]])).stdout.trim() ===
          "healthy",
      90_000,
    );
    for (const name of apps) {
      const began = performance.now();
      await d(["stop", name]);
      const seconds = (performance.now() - began) / 1000;
      const code = (await d(["inspect", "-f", "{{.State.ExitCode}}", name])).stdout.trim();
      assert.equal(code, "0", `${name} exit code`);
      assert.ok(seconds < 10, `docker stop took ${seconds.toFixed(1)} s`);
      const r = await d(["logs", name]);
      assertNoErrorLines(r.stdout + r.stderr, name);
      assert.match(r.stdout + r.stderr, /Stopped in \d+ ms/);
    }
  } finally {
    await d(["rm", "-f", "-v", ...apps, db], false);
    await d(["network", "rm", net], false);
  }
}

/** docker-compose.yaml as the README drives it, in a copy of the repository. */
async function composeChecks(e: Engine, scratch: string): Promise<void> {
  const dir = join(scratch, "hatch");
  await Deno.mkdir(dir);
  // The working tree as the Dockerfile sees it; a checkout's own .env and secrets stay out.
  await run("sh", [
    "-c",
    `tar -C "${ROOT}" --exclude=./.git --exclude=./node_modules --exclude=./.hatch ` +
    `--exclude=./.env --exclude=./.secrets --exclude=./static/islands -cf - . | tar -C "${dir}" -xf -`,
  ]);
  const port = freePort();
  const env = {
    COMPOSE_PROJECT_NAME: ID,
    HATCH_HOST_PORT: String(port),
    PATH: `${join(e.compose, "..")}:${Deno.env.get("PATH")}`,
  };
  const compose = (args: string[], ok = true) => run(e.compose, args, { cwd: dir, env, ok });
  const [up, workers] = await deployBlocks();
  assert.ok(up && workers, "the README's Deploy section has its two blocks");
  const url = `http://127.0.0.1:${port}`;
  try {
    await timed(
      "README block 1 (compose up, build)",
      () => run("bash", ["-euo", "pipefail", "-c", up], { cwd: dir, env }),
    );
    assert.ok(await waitForReady(url, 120_000), "the compose app never became ready");
    const logs = await compose(["logs", "--no-color", "app"]);
    assert.equal(logs.stdout.match(/password: \S+/g)?.length, 1, "password printed once");
    // The database password comes from the secret file, not the environment.
    const printed = await compose(["exec", "-T", "app", "printenv", "POSTGRES_PASSWORD"], false);
    assert.notEqual(printed.code, 0, "POSTGRES_PASSWORD is in the app's environment");
    const created = await compose([
      "exec",
      "-T",
      "app",
      "deno",
      "run",
      "-A",
      "cli.ts",
      "token",
      "create",
      "you@example.com",
      "container-test",
    ]);
    const token = created.stdout.trim().split("\n").pop()!;
    const api = async (path: string, body?: unknown) => {
      const res = await fetch(url + path, {
        method: body ? "POST" : "GET",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body ? JSON.stringify(body) : undefined,
      });
      assert.ok(res.ok, `${path}: ${res.status}`);
      return await res.json();
    };
    const sendAll = async (n: number, text: string) =>
      await Promise.all(Array.from({ length: n }, (_, i) =>
        api("/api/send_message", {
          to: randomPhone(),
          content: `${text} ${i}`,
        })));
    const delivered = (ids: string[]) =>
      until("every message is sent", async () => {
        const all = await Promise.all(ids.map((id) => api(`/api/message/${id}`)));
        return all.every((m) => ["sent", "delivered"].includes((m.message ?? m).status));
      }, 60_000);
    const [first] = await sendAll(1, "from the container test");
    const listed = await api("/api/conversations");
    assert.ok(
      listed.conversations.some((c: { id: string }) => c.id === first.conversation_id),
      "the sent message's conversation is listed",
    );
    await delivered([first.message_id]);

    // Workers: concurrency 1 and no local queue so the two take turns within a few sends (a
    // local queue lets the first worker to fetch hold all eight).
    await Deno.writeTextFile(
      join(dir, ".env"),
      "HATCH_WORKER_CONCURRENCY=1\nHATCH_WORKER_LOCAL_QUEUE=0\nHATCH_SANDBOX_DELAY_MS=300\n",
      { append: true },
    );
    await timed(
      "README block 2 (workers)",
      () => run("bash", ["-euo", "pipefail", "-c", workers], { cwd: dir, env }),
    );
    assert.ok(await waitForReady(url, 120_000), "the app did not come back");
    // Both workers listening before the sends, or the first one up may take them all.
    let workerLog = "";
    await until("both workers started", async () => {
      workerLog = (await compose(["logs", "--no-color", "worker"])).stdout;
      const started = new Set(
        workerLog.split("\n").filter((l) => l.includes("Worker started")).map((l) =>
          l.split(" ")[0]
        ),
      );
      return started.size === 2;
    }, 120_000).catch(async (e) => {
      // What the workers said, whether both containers run, what runs in them and what their
      // database sessions wait for, so a miss can be diagnosed.
      const ps = (await compose(["ps", "-a"], false)).stdout;
      const top = await compose(["top", "worker"], false);
      const sessions = await compose([
        "exec",
        "-T",
        "db",
        "psql",
        "-U",
        "hatch",
        "-d",
        "hatch",
        "-c",
        "select pid, application_name, state, wait_event_type, wait_event, " +
        "now() - query_start as running, left(query, 100) as query from pg_stat_activity " +
        "where datname = 'hatch'",
      ], false);
      throw new Error(
        [
          e.message,
          ps,
          workerLog.split("\n").slice(-40).join("\n"),
          top.stdout + top.stderr,
          sessions.stdout + sessions.stderr,
        ].join("\n"),
      );
    });
    const sent = await sendAll(8, "for the workers");
    await delivered(sent.map((s) => s.message_id));
    const workerLogs = (await compose(["logs", "--no-color", "worker"])).stdout;
    const byWorker = new Map<string, number>();
    for (const line of workerLogs.split("\n")) {
      const name = /^(\S+)\s+\|/.exec(line)?.[1];
      if (name && /handed to/.test(line)) byWorker.set(name, (byWorker.get(name) ?? 0) + 1);
    }
    assert.equal(byWorker.size, 2, `deliveries by worker: ${JSON.stringify([...byWorker])}`);
    assertNoErrorLines((await compose(["logs", "--no-color", "app"])).stdout, "app");
    assertNoErrorLines(workerLogs, "the workers");
  } finally {
    await compose(["--profile", "workers", "down", "-v", "--remove-orphans"], false);
    await run(e.docker, ["rmi", "hatch:latest"], { ok: false });
  }
}

Deno.test({
  name: "the Dockerfile and docker-compose.yaml, built and run",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  const engine = await timed("container engine", () => containerEngine());
  if (typeof engine === "string") {
    console.log(`SKIPPED: no container engine can be used here: ${engine}`);
    return;
  }
  const scratch = await Deno.makeTempDir({ prefix: "hatch-container-" });
  const image = `${ID}:test`;
  try {
    await timed(
      "stand-in base images (cached after the first run)",
      () =>
        run("bash", [join(ROOT, "deploy/local-images/build.sh")], {
          env: { DOCKER: engine.docker },
        }),
    );
    await timed(
      "docker build of the Dockerfile",
      () => run(engine.docker, ["build", "-q", "-t", image, "."], { cwd: ROOT }),
    );
    await timed("the image: two replicas, health, stop", () => imageChecks(engine, image, scratch));
    await timed("docker-compose.yaml as the README says", () => composeChecks(engine, scratch));
  } finally {
    await run(engine.docker, ["rmi", image], { ok: false });
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
    await engine.stop();
  }
});
