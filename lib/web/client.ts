// Hydrates every island the server rendered: each <hatch-island> names its module and props.
//
// All islands hydrate in one task, once every module has loaded. Preact's hydrate() adopts the
// server's DOM without correcting attributes, so an island hydrated after the shared store had
// moved on (the live stream opened by an island that loaded sooner, say) would keep showing the
// server's state until its next change. Effects run after this task, so nothing an island
// starts from one can change the store before the last island is hydrated.
import { type ComponentType, h, hydrate } from "preact";

const islands = Array.from(document.querySelectorAll<HTMLElement>("hatch-island"));
const loaded = await Promise.allSettled(
  islands.map((el) =>
    import(`/static/islands/${el.dataset.island}.js`) as Promise<{ default: ComponentType }>
  ),
);
loaded.forEach((result, i) => {
  if (result.status === "rejected") {
    console.error(`Island ${islands[i].dataset.island} did not load:`, result.reason);
    return;
  }
  hydrate(h(result.value.default, JSON.parse(islands[i].dataset.props ?? "{}")), islands[i]);
});
