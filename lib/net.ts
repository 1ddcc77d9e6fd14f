// Small network helpers for the processes that start Hatch or PostgreSQL themselves: the test
// runner, the tests and the benchmarks.

/** A free TCP port on loopback. */
export function freePort(): number {
  const l = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Asks `url`/ready every 100 ms until it answers 200; false once `timeoutMs` has passed. */
export async function waitForReady(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/ready`);
      await res.body?.cancel();
      if (res.ok) return true;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
