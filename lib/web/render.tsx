import { type ComponentType, h, options, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";

// Island components by identity, registered from the manifest at start.
const islandNames = new Map<unknown, string>();
let rendering = false;

/** Marks the manifest's islands so rendering wraps them for hydration in the browser. */
export function registerIslands(islands: Record<string, unknown>): void {
  for (const [name, component] of Object.entries(islands)) islandNames.set(component, name);
}

/** Serialises island props for an HTML attribute; islands take JSON-safe props only. */
function propsJson(props: Record<string, unknown>): string {
  const { children: _children, ...rest } = props;
  return JSON.stringify(rest);
}

const IslandMark = "hatch-island";
let wrapping = false;

// Like Fresh: while rendering on the server, an island's vnode becomes an element carrying its
// name and props around the island itself, and the browser's client hydrates it from there.
const previousVnode = options.vnode;
options.vnode = (vnode: VNode) => {
  const name = rendering && !wrapping ? islandNames.get(vnode.type) : undefined;
  if (name) {
    wrapping = true;
    const props = vnode.props as Record<string, unknown>;
    const inner = h(vnode.type as ComponentType, props);
    wrapping = false;
    const wrapper = vnode as VNode<Record<string, unknown>>;
    wrapper.type = IslandMark as unknown as ComponentType;
    wrapper.props = { "data-island": name, "data-props": propsJson(props), children: inner };
  }
  previousVnode?.(vnode);
};

/** Renders a page to a full HTML document string. */
export function renderPage(node: VNode): string {
  rendering = true;
  try {
    return "<!DOCTYPE html>" + renderToString(node);
  } finally {
    rendering = false;
  }
}
