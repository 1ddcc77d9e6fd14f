import type { Context, MiddlewareHandler } from "hono";
import type { ComponentChild } from "preact";
import type { z } from "zod";
import type { AppContext } from "@/lib/app_context.ts";
import type { Principal } from "@/lib/auth/principal.ts";

/**
 * Hono's environment for every route: the shared application context, and the manifest the app
 * was built from (the API docs are made from it, so no route needs to import `routes.gen.ts`).
 */
export interface AppEnv {
  Variables: {
    app: AppContext;
    manifest: Manifest;
    principal: Principal;
    /** The hub's authVersion() from before `principal` was looked up. */
    authVersion: number;
    /** The matched route's pattern, for the request metrics. */
    route: string;
  };
}

/** The request context a route handler receives. */
export type Ctx = Context<AppEnv>;

const PAGE = Symbol("page");

/** What a page handler returns to have the route's component rendered with `data`. */
export interface PageResult<T> {
  [PAGE]: true;
  data: T;
  status: number;
}

/** Asks the layer to render the route's default component with `data`. */
export function page<T>(data: T, status = 200): PageResult<T> {
  return { [PAGE]: true, data, status };
}

/** Whether a handler's result is a page to render rather than a Response. */
export function isPage(value: unknown): value is PageResult<unknown> {
  return typeof value === "object" && value !== null && PAGE in value;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type HandlerResult = Response | PageResult<unknown>;

/** A route's handlers, one per HTTP method. */
export type Handlers = Partial<Record<Method, (c: Ctx) => HandlerResult | Promise<HandlerResult>>>;

/** What a page component receives. */
export interface PageProps<T = unknown> {
  data: T;
  url: URL;
  params: Record<string, string>;
}

/** OpenAPI notes for one method of an API route, built from the same zod schemas it uses. */
export interface OperationDoc {
  summary: string;
  tags?: string[];
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

/** One file of `routes/`, as the manifest lists it. */
export interface RouteModule {
  handler?: Handlers;
  // `never` accepts a page (or `_app`) component of any props; the router passes the right ones.
  default?: (props: never) => ComponentChild;
  /** `_middleware.ts` only: runs before every route. */
  middleware?: MiddlewareHandler<AppEnv>;
  docs?: Partial<Record<Method, OperationDoc>>;
  /** Set on the few routes anyone may reach without signing in. */
  open?: boolean;
  /** Set on routes only admins may use. */
  adminOnly?: boolean;
  /** This route's body limit in bytes, when it differs from HATCH_MAX_BODY_BYTES. */
  maxBodyBytes?: number;
}

/** The generated list of route and island modules (`routes.gen.ts`). */
export interface Manifest {
  routes: Record<string, RouteModule>;
  islands: Record<string, unknown>;
}

/** Helpers that only fix types, in the manner of Fresh's `define`. */
export const define = {
  handlers: <H extends Handlers>(h: H): H => h,
  page: <T>(c: (props: PageProps<T>) => ComponentChild): (props: PageProps<T>) => ComponentChild =>
    c,
  docs: (d: Partial<Record<Method, OperationDoc>>) => d,
};
