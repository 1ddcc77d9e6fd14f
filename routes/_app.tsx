// The document around every page: meta, the stylesheets every page uses (a page links its own),
// and the script that hydrates islands.
import type { ComponentType } from "preact";
import type { PageProps } from "@/lib/web/define.ts";

const TITLES: Record<string, string> = {
  "/": "Inbox · Hatch",
  "/docs": "API · Hatch",
  "/settings": "Settings · Hatch",
};

/** The HTML shell. */
export default function App(props: PageProps & { Component: ComponentType<PageProps> }) {
  const { Component, ...page } = props;
  // A page about one thing (a contact) names it in the tab: its data may carry the title.
  const own = (page.data as { title?: unknown } | null | undefined)?.title;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="color-scheme" content="light dark" />
        <meta name="theme-color" content="#f6f6f8" media="(prefers-color-scheme: light)" />
        <meta name="theme-color" content="#0e0e11" media="(prefers-color-scheme: dark)" />
        <title>{typeof own === "string" ? own : TITLES[page.url.pathname] ?? "Hatch"}</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link
          rel="preload"
          href="/static/fonts/inter-latin-wght-normal.woff2"
          as="font"
          type="font/woff2"
          crossorigin="anonymous"
        />
        <link rel="stylesheet" href="/static/tokens.css" />
        <link rel="stylesheet" href="/static/base.css" />
        <link rel="modulepreload" href="/static/islands/_client.js" />
      </head>
      <body>
        <Component {...page} />
        <script type="module" src="/static/islands/_client.js" />
      </body>
    </html>
  );
}
