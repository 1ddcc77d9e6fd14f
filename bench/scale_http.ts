// The scale benchmark through HTTP: the same pages as the services, asked of a running Hatch
// (worker off, one per size) by one client in sequence on a keep-alive connection, so the
// figures include routing, authentication, JSON and the socket, as an inbox sees them.
import { createAdminToken, type Server, startHatch } from "./realtime_server.ts";
import { RawHttpPool } from "./raw_http.ts";

/** What the page queries are run with: sampled once per size, outside the timed loop. */
export interface Samples {
  deepCursors: string[];
  threads: string[];
  olderPages: { conversation: string; cursor: string }[];
}

/** The requests timed, in the order printed. */
export const HTTP_QUERIES = [
  "HTTP conversations, first page",
  "HTTP conversations, deeper page",
  "HTTP thread, newest page",
  "HTTP thread, older page",
  "HTTP /api/me",
] as const;
export type HttpQuery = (typeof HTTP_QUERIES)[number];

/** A Hatch serving one size's database, and a client for it. */
export interface HttpTarget {
  server: Server;
  client: RawHttpPool;
}

/** Starts Hatch on the database (worker off) with an admin's token for the client. */
export async function startTarget(databaseUrl: string, serverFlags: string): Promise<HttpTarget> {
  const token = await createAdminToken(databaseUrl);
  const server = await startHatch({
    databaseUrl,
    worker: false,
    serverLog: false,
    serverFlags,
    extraEnv: {},
  });
  return { server, client: new RawHttpPool(server.url, { authorization: `Bearer ${token}` }) };
}

export async function stopTarget(t: HttpTarget): Promise<void> {
  t.client.close();
  await t.server.stop();
}

/** The timed call for one request: it resolves to the number of rows the answer held. */
export function httpRunner(
  t: HttpTarget,
  query: HttpQuery,
  s: Samples,
  page: number,
): ((i: number) => Promise<number>) | undefined {
  const get = async (path: string, rowsKey: string) => {
    const answer = await t.client.get(path);
    if (answer.status !== 200) {
      throw new Error(`GET ${path} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    }
    // Counting the rows by a key each row has once keeps the client from parsing the JSON.
    return answer.body.split(rowsKey).length - 1;
  };
  const q = (cursor: string) => encodeURIComponent(cursor);
  switch (query) {
    case "HTTP conversations, first page":
      return () => get(`/api/conversations?limit=${page}`, '"last_message_time"');
    case "HTTP conversations, deeper page":
      return (i) =>
        get(
          `/api/conversations?limit=${page}&before=${q(s.deepCursors[i % s.deepCursors.length])}`,
          '"last_message_time"',
        );
    case "HTTP thread, newest page":
      return (i) =>
        get(
          `/api/conversation/${s.threads[i % s.threads.length]}/messages?limit=${page}`,
          '"direction"',
        );
    case "HTTP thread, older page":
      if (!s.olderPages.length) return undefined;
      return (i) => {
        const p = s.olderPages[i % s.olderPages.length];
        return get(
          `/api/conversation/${p.conversation}/messages?limit=${page}&before=${q(p.cursor)}`,
          '"direction"',
        );
      };
    case "HTTP /api/me":
      return () => get("/api/me", '"email"');
  }
}
