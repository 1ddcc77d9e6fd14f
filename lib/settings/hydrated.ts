// Whether an island has hydrated. The settings islands render their controls disabled until
// then, so a click that lands before the script runs is refused visibly instead of lost.
import { useEffect, useState } from "preact/hooks";

/** False on the server and in the first browser render, true once the island is live. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
