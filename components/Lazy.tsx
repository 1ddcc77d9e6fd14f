// Components the inbox shows only after someone asks (the bulk bar, the keyboard's pick list,
// the shortcuts dialog, the snooze menu), fetched then, so the islands' first load stays small.
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

/** A component that renders nothing until its module has arrived (at once, the second time). */
export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [Loaded, setLoaded] = useState<ComponentType<P> | null>(() => loaded);
    useEffect(() => {
      if (Loaded) return;
      load().then((c) => {
        loaded = c;
        setLoaded(() => c);
      }).catch(() => {});
    }, []);
    return Loaded ? <Loaded {...props} /> : null;
  };
}

/** The bulk actions bar. */
export const LazyBulkBar = lazy(() => import("./BulkBar.tsx").then((m) => m.BulkBar));
/** The `a`/`l` pick list. */
export const LazyPickMenu = lazy(() => import("./PickMenu.tsx").then((m) => m.PickMenu));
/** The `?` dialog. */
export const LazyShortcutHelp = lazy(() =>
  import("./ShortcutHelp.tsx").then((m) => m.ShortcutHelp)
);
/** The snooze presets and picker. */
export const LazySnoozeMenu = lazy(() => import("./SnoozeMenu.tsx").then((m) => m.SnoozeMenu));
