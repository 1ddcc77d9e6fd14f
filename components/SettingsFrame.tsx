// The frame the settings-like pages share (settings, broadcasts and its contact import): the
// sheets they link, the rail with the way back to the inbox, and the page's heading.
import type { ComponentChildren } from "preact";
import { Stylesheets } from "./Stylesheets.tsx";
import { IconBack, Logo } from "./Icons.tsx";

/** A settings-like page: `rail` goes below the way back, `children` below the heading. */
export function SettingsFrame(props: {
  title: string;
  lead: ComponentChildren;
  rail?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <div class="settings">
      <Stylesheets
        names={[
          "callout",
          "buttons",
          "dialog",
          "shell",
          "shell-parts",
          "settings",
          "settings-forms",
          "settings-narrow",
          "outbound",
        ]}
      />
      <aside class="settings-rail">
        <div class="brand">
          <Logo size={26} />
          <span class="brand-name">Hatch</span>
        </div>
        <a class="rail-back" href="/">
          <IconBack size={16} /> Back to inbox
        </a>
        {props.rail}
      </aside>
      <main class="settings-main">
        <header class="settings-head">
          <h1>{props.title}</h1>
          <p class="muted">{props.lead}</p>
        </header>
        {props.children}
      </main>
    </div>
  );
}
