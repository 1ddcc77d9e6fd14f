// Event-writing commits per second with concurrent writers, for each version of the event
// trigger: the row trigger that held an advisory lock to commit (sql/005), the row trigger
// without it (sql/013: no lock, NOTIFY only when a hub armed the wake-up flag), that one with a
// NOTIFY on every commit (a hub always armed: the idle case), today's statement trigger
// (sql/017), and no trigger at all (the floor: the insert and its commit); then sql/013's trigger
// with a delivery job added in the same transaction, as a send adds it: through graphile-worker's
// add_job (a NOTIFY on every call, so that lock is back at every commit) and through
// hatch_add_job (sql/014: a NOTIFY only for a waiting worker).
//
//   deno run -A bench/commit_lock.ts [--clients 16] [--seconds 10] [--rounds 1]
//     [--database-url postgres://…/postgres] [--pgbench /usr/bin/pgbench]
//
// Each transaction is one message insert, as a send's statement is one transaction; pgbench runs
// the writers (-c clients, -j 2 threads) against a fresh hatch_bench_<ts> database migrated as
// Hatch would. The variants run in turn, --rounds times, so they share the machine's state.
import { connect } from "@/lib/db/connect.ts";
import { migrate } from "@/lib/db/migrate.ts";
import { benchDatabase, benchFlags, machine, printTable } from "./_shared.ts";

const flags = benchFlags({
  clients: { type: "string", default: "16" },
  seconds: { type: "string", default: "10" },
  rounds: { type: "string", default: "1" },
  pgbench: { type: "string", default: "pgbench" },
});
const clients = Number(flags.clients);
const seconds = Number(flags.seconds);
const rounds = Number(flags.rounds);

const sqlDir = new URL("../sql/", import.meta.url);
const read = (name: string) => Deno.readTextFileSync(new URL(name, sqlDir));
// The function of each migration, alone (013 also adds the column and the flag, which stay).
const lockTrigger = read("005_cheaper_event_trigger.sql");
const horizonText = read("013_events_by_xid_horizon.sql");
const horizonTrigger = horizonText.slice(
  horizonText.indexOf("create or replace function hatch_append_event"),
);
const alwaysNotify = horizonTrigger.replace(
  "if (select last_value from hatch_events_wake) = 1 then",
  "if true then",
);
if (alwaysNotify === horizonTrigger) throw new Error("013's wake-up check was not found");

// Messages' event triggers, as each version had them: a row trigger over hatch_append_event
// (sql/001 to sql/016), or sql/017's three statement triggers, taken from the migration itself.
const noTriggers = ["", "_insert", "_update", "_delete"]
  .map((suffix) => `drop trigger if exists messages_event${suffix} on messages;`).join("\n");
const rowTrigger = `${noTriggers}
create trigger messages_event after insert or update or delete on messages
  for each row execute function hatch_append_event('message');`;
const statementText = read("017_events_per_statement.sql");
const statementTriggers = [
  noTriggers,
  ...statementText.match(/create trigger messages_event_\w+ [^;]+;/g) ?? [],
].join("\n");
if (statementTriggers === noTriggers) throw new Error("017's message triggers were not found");

const variants: { name: string; setup: string; withJob?: "graphile" | "hatch" }[] = [
  {
    name: "before: advisory lock to commit + NOTIFY (sql/005)",
    setup: lockTrigger + rowTrigger,
  },
  {
    name: "after: (xid, id) horizon, NOTIFY when armed (sql/013)",
    setup: horizonTrigger + rowTrigger,
  },
  { name: "after, NOTIFY on every commit (idle hub)", setup: alwaysNotify + rowTrigger },
  { name: "today: once per statement (sql/017)", setup: statementTriggers },
  { name: "no event trigger (floor)", setup: noTriggers },
  {
    name: "after (sql/013) + graphile's add_job, as a send did",
    setup: horizonTrigger + rowTrigger,
    withJob: "graphile",
  },
  {
    name: "after (sql/013) + hatch_add_job (sql/014), as a send now",
    setup: horizonTrigger + rowTrigger,
    withJob: "hatch",
  },
];

console.log(`Hatch commit-lock benchmark — ${machine()}`);
console.log(`load average before the run: ${Deno.loadavg()[0].toFixed(2)}`);
const db = await benchDatabase(flags["database-url"], "commits");
const sql = connect(db.url, { max: 1, statementTimeoutMs: 0 });
const script = await Deno.makeTempFile({ suffix: ".sql" });
const jobScripts = {
  graphile: await Deno.makeTempFile({ suffix: ".sql" }),
  hatch: await Deno.makeTempFile({ suffix: ".sql" }),
};
try {
  await migrate(sql, db.url);
  const conversation = crypto.randomUUID();
  await sql`insert into conversations (id, channel, participants)
    values (${conversation}, 'sms', ${["+14155550100", "+14155550101"]})`;
  await Deno.writeTextFile(
    script,
    `insert into messages (conversation_id, channel, direction, from_contact, to_contact, body, status)
values ('${conversation}', 'sms', 'outbound', '+14155550100', '+14155550101', 'hello', 'queued');\n`,
  );
  const insert = await Deno.readTextFile(script);
  for (const [kind, fn] of [["graphile", "graphile_worker.add_job"], ["hatch", "hatch_add_job"]]) {
    await Deno.writeTextFile(
      jobScripts[kind as "graphile" | "hatch"],
      `begin;\n${insert}select ${fn}('deliver_message', '{}'::json, max_attempts => 1);\ncommit;\n`,
    );
  }
  const results = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const v of variants) {
      await sql.unsafe(v.setup);
      // No hub or worker runs: nobody is waiting.
      await sql`select setval('hatch_events_wake', 0), setval('hatch_jobs_wake', 0)`;
      const out = await new Deno.Command(flags.pgbench, {
        args: [
          "-n",
          "-c",
          String(clients),
          "-j",
          "2",
          "-T",
          String(seconds),
          "-f",
          v.withJob ? jobScripts[v.withJob] : script,
          db.url,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout);
      const tps = Number(text.match(/tps = ([\d.]+)/)?.[1]);
      if (!out.success || !Number.isFinite(tps)) {
        throw new Error(`pgbench failed: ${new TextDecoder().decode(out.stderr)}`);
      }
      console.log(`${v.name}: ${Math.round(tps)} commits/s`);
      results.set(v.name, [...results.get(v.name) ?? [], tps]);
    }
  }
  console.log(`\n${clients} writers, one message insert per transaction, ${seconds} s each:`);
  printTable(
    ["trigger", "event-writing commits/s"],
    [...results].map(([name, list]) => [name, list.map((x) => Math.round(x)).join(", ")]),
  );
} finally {
  await sql.end();
  await Deno.remove(script).catch(() => {});
  for (const f of Object.values(jobScripts)) await Deno.remove(f).catch(() => {});
  await db.drop();
}
