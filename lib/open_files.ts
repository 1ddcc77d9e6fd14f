// Every event stream holds a socket, and so an open file. Deno raises its soft open-file limit to
// the hard one when it starts (as Go's runtime does), so the hard limit is what caps the streams
// one process can hold: Hatch says what it is at start.

/**
 * This process's open-file limit (soft, already raised to the hard one), Infinity when unlimited;
 * null where unknown.
 */
export function openFileLimit(): number | null {
  try {
    const limits = Deno.readTextFileSync("/proc/self/limits");
    const soft = /Max open files\s+(\d+|unlimited)/.exec(limits)?.[1];
    if (!soft) return null;
    return soft === "unlimited" ? Infinity : Number(soft);
  } catch {
    return null; // not Linux, or /proc not mounted
  }
}
