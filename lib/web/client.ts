// Hydrates every island the server rendered: each <hatch-island> names its module and props.
import { h, hydrate } from "preact";

for (const el of Array.from(document.querySelectorAll<HTMLElement>("hatch-island"))) {
  const name = el.dataset.island!;
  const props = JSON.parse(el.dataset.props ?? "{}");
  import(`/static/islands/${name}.js`).then((mod) => hydrate(h(mod.default, props), el));
}
