// The HTTP server under the app: Deno.serve, or node:http through Hono's Node adapter
// (HATCH_HTTP_SERVER). Same app, same answers; they differ in what a connection costs: an idle
// event stream held by node:http takes a fraction of the memory Deno.serve's takes
// (bench/connections.ts), which is what decides how many open browsers one process can hold.
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
// The adapter leaves the node response alone when the answer is this one.
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";

/** What the app's handler gets beside the request (Hono's `c.env`). */
export interface ServerEnv {
  /** The client's socket address, as Deno.serve gives it. */
  remoteAddr: { hostname: string };
  /**
   * Node server only (`null` there, absent on Deno.serve): a handler that answers with a body of
   * `null` may set this to write the body itself, straight to the node response, once the head
   * (status and every header the middleware added) has gone out. An event stream does, so it
   * holds no web stream, reader and pump per connection.
   */
  bodyWriter?: ((res: ServerResponse) => void) | null;
}

/** The app's handler. */
export type FetchHandler = (request: Request, env: ServerEnv) => Response | Promise<Response>;

/** A listening server. */
export interface HttpServer {
  /** Stops accepting connections; resolves once the requests in flight have ended. */
  shutdown(): Promise<void>;
}

/** Where and on which implementation to listen. */
export interface ServeOptions {
  kind: "deno" | "node";
  port: number;
  hostname: string;
  onListen?: () => void;
}

/** How long node:http keeps an idle keep-alive connection open. */
export const KEEP_ALIVE_MS = 65_000;

/** Serves `handler` on the chosen implementation. */
export function serveHttp(options: ServeOptions, handler: FetchHandler): HttpServer {
  if (options.kind === "deno") {
    const server = Deno.serve({
      port: options.port,
      hostname: options.hostname,
      onListen: () => options.onListen?.(),
    }, (request, info) => {
      const addr = info.remoteAddr as Deno.NetAddr;
      return handler(request, { remoteAddr: { hostname: addr.hostname } });
    });
    return { shutdown: () => server.shutdown() };
  }
  const server = createAdaptorServer({
    hostname: options.hostname,
    port: options.port,
    fetch: async (request: Request, env: unknown) => {
      const { incoming, outgoing } = env as { incoming: IncomingMessage; outgoing: ServerResponse };
      const adapterless = new Set(outgoing.listeners("close"));
      const ours: ServerEnv = {
        remoteAddr: { hostname: incoming.socket.remoteAddress ?? "unknown" },
        bodyWriter: null,
      };
      const response = await handler(request, ours);
      if (!ours.bodyWriter || response.body !== null) return response;
      const head: OutgoingHttpHeaders = {};
      response.headers.forEach((value, name) => {
        if (name !== "set-cookie") head[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) head["set-cookie"] = cookies;
      // The adapter's close handler only aborts the request's signal, which no one reads once
      // the body is ours; it holds the request (and its headers) for the stream's whole life.
      for (const listener of outgoing.listeners("close")) {
        if (!adapterless.has(listener)) {
          outgoing.off("close", listener as (...args: unknown[]) => void);
        }
      }
      outgoing.writeHead(response.status, head);
      ours.bodyWriter(outgoing);
      return RESPONSE_ALREADY_SENT;
    },
  });
  // node:http closes a keep-alive connection idle for 5 s, and a request sent on it at that moment
  // fails ("connection reset"): a send lost to the race. Longer than the 60 s idle timeout of the
  // usual proxies and load balancers, so they close first, as they expect to.
  (server as Server).keepAliveTimeout = KEEP_ALIVE_MS;
  (server as Server).headersTimeout = KEEP_ALIVE_MS + 1_000;
  server.listen(options.port, options.hostname, () => options.onListen?.());
  return {
    shutdown: () =>
      new Promise<void>((resolve) => {
        // close() waits for open connections; idle keep-alive ones are closed now, and streams
        // are ended by the hub (closeClients) right after this is called.
        server.close(() => resolve());
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      }),
  };
}
