import { Hono, type MiddlewareHandler } from "hono";
import type { ComponentType } from "preact";
import type { AppContext } from "@/lib/app_context.ts";
import {
  type AppEnv,
  type Ctx,
  isPage,
  type Manifest,
  type PageProps,
  type RouteModule,
} from "./define.ts";
import { routePattern } from "./manifest.ts";
import { registerIslands, renderPage } from "./render.tsx";
import { errorResponse } from "./errors.ts";
import { capBody } from "./body_limit.ts";
import { requireAuth } from "./auth_gate.ts";
import { serveStatic } from "hono/deno";
import { compress } from "hono/compress";
import { observeRequest } from "@/lib/metrics/registry.ts";

const STATIC_ROOT = new URL("../../static", import.meta.url).pathname;

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** One mounted route: its URL pattern, its methods and its module. */
export interface MountedRoute {
  file: string;
  pattern: string;
  methods: string[];
  module: RouteModule;
}

/** The routes of a manifest with their patterns, static segments before dynamic ones. */
export function routeTable(manifest: Manifest): MountedRoute[] {
  return Object.entries(manifest.routes)
    .filter(([file]) => !file.split("/").some((part) => part.startsWith("_")))
    .map(([file, module]) => ({
      file,
      pattern: routePattern(file),
      module,
      methods: METHODS.filter((m) => module.handler?.[m] || (m === "GET" && module.default)),
    }))
    .sort((a, b) => Number(a.pattern.includes(":")) - Number(b.pattern.includes(":")));
}

function appShell(
  manifest: Manifest,
): ComponentType<PageProps & { Component: ComponentType<PageProps> }> {
  const app = manifest.routes["_app.tsx"]?.default as
    | ComponentType<PageProps & { Component: ComponentType<PageProps> }>
    | undefined;
  return app ?? (({ Component, ...p }) => <Component {...p} />);
}

async function runRoute(c: Ctx, route: MountedRoute, manifest: Manifest): Promise<Response> {
  const method = c.req.method === "HEAD" ? "GET" : c.req.method as (typeof METHODS)[number];
  if (!route.module.open) {
    const refused = await requireAuth(c, route.module);
    if (refused) return refused;
  }
  const handler = route.module.handler?.[method];
  const result = handler ? await handler(c) : { data: undefined, status: 200 };
  if (result instanceof Response) return result;
  if (!isPage(result) && handler) return result as unknown as Response;
  const Page = route.module.default as ComponentType<PageProps> | undefined;
  if (!Page) return c.json({ success: false, error: "This route renders no page" }, 500);
  const { data, status } = result as { data: unknown; status: number };
  return pageResponse(c, { manifest, Page, data, params: c.req.param(), status });
}

/** `Page` with `data`, inside the manifest's `_app.tsx`, as the HTML answer with `status`. */
function pageResponse(c: Ctx, page: {
  manifest: Manifest;
  Page: ComponentType<PageProps>;
  data: unknown;
  params: Record<string, string>;
  status: number;
}): Response {
  const { manifest, Page, data, params, status } = page;
  const App = appShell(manifest);
  const html = renderPage(
    <App data={data} params={params} url={new URL(c.req.url)} Component={Page} />,
  );
  return c.html(html, status as 200);
}

/** A browser asking for a page: API and webhook paths answer JSON whatever the client accepts. */
function wantsPage(c: Ctx): boolean {
  return (c.req.method === "GET" || c.req.method === "HEAD") &&
    !/^\/(api|webhooks|static)\//.test(c.req.path) &&
    (c.req.header("accept") ?? "").includes("text/html");
}

/** Builds the Hono app: middleware from `routes/_middleware.ts`, then every file route. */
export function buildRouter(manifest: Manifest, ctx: AppContext): Hono<AppEnv> {
  registerIslands(manifest.islands);
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("app", ctx);
    c.set("manifest", manifest);
    const began = performance.now();
    await next();
    // By route pattern (set below), so the series stay few whatever the paths.
    observeRequest({
      route: c.get("route") ?? (c.req.path.startsWith("/static/") ? "/static/*" : "unmatched"),
      method: c.req.method,
      status: c.res.status,
      seconds: (performance.now() - began) / 1000,
    });
  });
  // Static files answer before any middleware (they need no session). Bundled chunks are named
  // by content hash and never change; everything else is revalidated.
  app.use(
    "/static/*",
    compress(),
    serveStatic({
      root: STATIC_ROOT,
      rewriteRequestPath: (p) => p.replace(/^\/static/, ""),
      onFound: (path, c) =>
        c.header(
          "Cache-Control",
          /\/chunk-[A-Z0-9]+\.js$/.test(path) ? "public, max-age=31536000, immutable" : "no-cache",
        ),
    }),
  );
  const middleware = manifest.routes["_middleware.ts"]?.middleware;
  if (middleware) app.use("*", middleware);
  for (const route of routeTable(manifest)) {
    const limit = capBody(
      route.module.maxBodyBytes ?? ctx.settings.HATCH_MAX_BODY_BYTES,
      (c) => c.json({ success: false, error: "Request body is too large for this endpoint" }, 413),
    );
    const named: MiddlewareHandler<AppEnv> = async (c, next) => {
      c.set("route", route.pattern);
      await next();
    };
    for (const method of route.methods) {
      app.on(method, route.pattern, named, limit, (c) => runRoute(c, route, manifest));
    }
  }
  app.notFound((c) => {
    const NotFound = manifest.routes["_404.tsx"]?.default as ComponentType<PageProps> | undefined;
    if (NotFound && wantsPage(c)) {
      const data = { title: "Not found · Hatch" };
      return pageResponse(c, { manifest, Page: NotFound, data, params: {}, status: 404 });
    }
    return c.json({ success: false, error: `No route for ${c.req.method} ${c.req.path}` }, 404);
  });
  app.onError((err, c) => errorResponse(c, err));
  return app;
}
