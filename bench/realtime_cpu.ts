// CPU accounting from /proc (Linux) for bench/realtime.ts: who used the cores during a phase —
// Hatch, the load generator, the bench database's PostgreSQL backends, and everything else.

const TICKS_PER_SECOND = 100;

function procTicks(pid: number | "self"): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

// The PostgreSQL backends serving the bench database, plus the server's WAL writer, whose
// work grows with commits; other databases' backends (tests running alongside) are left out.
function postgresTicks(database: string): number {
  let total = 0;
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const cmd = Deno.readTextFileSync(`/proc/${e.name}/cmdline`);
      if (!cmd.startsWith("postgres:")) continue;
      if (cmd.includes(` ${database} `) || cmd.includes("walwriter")) {
        total += procTicks(Number(e.name));
      }
    } catch { /* the process ended */ }
  }
  return total;
}

function machineTicks(): { busy: number; total: number } {
  const [line] = Deno.readTextFileSync("/proc/stat").split("\n");
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** CPU ticks used so far by each side, and when they were read (performance.now()). */
export interface CpuSnapshot {
  at: number;
  server: number;
  bench: number;
  postgres: number;
  machine: { busy: number; total: number };
}

/** Reads the ticks of the server's process, this process, the database's backends, the machine. */
export function cpuSnapshot(serverPid: number, database: string): CpuSnapshot {
  return {
    at: performance.now(),
    server: procTicks(serverPid),
    bench: procTicks("self"),
    postgres: postgresTicks(database),
    machine: machineTicks(),
  };
}

/** One line: each side's CPU share between two snapshots. */
export function cpuReport(a: CpuSnapshot, b: CpuSnapshot): string {
  const secs = (b.at - a.at) / 1000;
  const share = (ticks: number) => (ticks / TICKS_PER_SECOND / secs) * 100;
  const cores = navigator.hardwareConcurrency;
  const machine = ((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) *
    cores * 100;
  const ours = [b.server - a.server, b.bench - a.bench, b.postgres - a.postgres].map(share);
  // Whatever else ran (other processes, the kernel's own work): figures taken while this is
  // large say more about the machine than about Hatch.
  const rest = Math.max(0, machine - ours.reduce((x, y) => x + y, 0));
  const [hatch, bench, pg] = ours.map((v) => `${Math.round(v)}%`);
  return `CPU (100% = one core): hatch ${hatch}, bench client ${bench}, postgres ${pg}, ` +
    `everything else ${Math.round(rest)}%; machine ${Math.round(machine)}% of ${cores * 100}%`;
}
