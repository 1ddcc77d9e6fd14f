// The HTTP server under the app: Deno.serve, or node:http through Hono's Node adapter
// (HATCH_HTTP_SERVER). Same app, same answers; they differ in what a connection costs: an idle
// event stream held by node:http takes a fraction of the memory Deno.serve's takes
// (bench/connections.ts), which is what decides how many open browsers one process can hold.
import type { IncomingMessage } from "node:http";
import { createAdaptorServer } from "@hono/node-server";

/** The app's handler; `env.remoteAddr` is the client's socket address, as Deno.serve gives it. */
export type FetchHandler = (
  request: Request,
  env: { remoteAddr: { hostname: string } },
) => Response | Promise<Response>;

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
    fetch: (request: Request, env: unknown) =>
      handler(request, {
        remoteAddr: {
          hostname: (env as { incoming: IncomingMessage }).incoming.socket.remoteAddress ??
            "unknown",
        },
      }),
  });
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
