// A small keyboard list for the `a` and `l` shortcuts: arrows move, Enter chooses, Escape
// closes; one choice makes one change (a native select changes on every arrow press).
import { useEffect, useRef, useState } from "preact/hooks";

/** The list, focused as it opens. */
export function PickMenu(props: {
  label: string;
  items: { id: string; label: string }[];
  onPick: (id: string) => void;
  onClose: () => void;
}) {
  const [at, setAt] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => list.current?.focus(), []);
  const { items } = props;
  return (
    <ul
      ref={list}
      class="pick-menu"
      role="listbox"
      tabIndex={0}
      aria-label={props.label}
      aria-activedescendant={items[at] ? `pick-${items[at].id || "none"}` : undefined}
      onBlur={props.onClose}
      onKeyDown={(e) => {
        // The list's keys are its own, never shortcuts.
        e.stopPropagation();
        if (e.key === "ArrowDown" || e.key === "ArrowUp") {
          e.preventDefault();
          const step = e.key === "ArrowDown" ? 1 : -1;
          setAt((i) => Math.max(0, Math.min(items.length - 1, i + step)));
        } else if (e.key === "Enter") {
          e.preventDefault();
          if (items[at]) props.onPick(items[at].id);
          props.onClose();
        } else if (e.key === "Escape") {
          e.preventDefault();
          props.onClose();
        }
      }}
    >
      {items.map((item, i) => (
        <li
          key={item.id}
          id={`pick-${item.id || "none"}`}
          role="option"
          aria-selected={i === at}
          class={i === at ? "is-active" : undefined}
          onMouseDown={(e) => {
            e.preventDefault();
            props.onPick(item.id);
            props.onClose();
          }}
        >
          {item.label}
        </li>
      ))}
    </ul>
  );
}
