// The load generator's HTTP/1.1 client: keep-alive connections on raw TCP, one request at a
// time each. Deno's fetch costs several times more CPU per request, and on two
// cores shared with Hatch and PostgreSQL every bit the load generator spends is taken from the
// system it measures. It handles exactly what Hatch answers a POST or a JSON GET with: a status
// line, headers with a content-length, and a body (or a 204, with neither).

const encoder = new TextEncoder();
const latin1 = new TextDecoder("windows-1252");

/** An answer: its status and its body (ASCII-safe JSON, read as Latin-1). */
export interface RawAnswer {
  status: number;
  body: string;
}

class Connection {
  #buf = new Uint8Array(64 * 1024);
  constructor(readonly conn: Deno.TcpConn) {}

  async send(head: Uint8Array, body: Uint8Array): Promise<RawAnswer> {
    const request = new Uint8Array(head.length + body.length);
    request.set(head);
    request.set(body, head.length);
    let written = 0;
    while (written < request.length) written += await this.conn.write(request.subarray(written));
    let text = "";
    let headEnd = -1;
    let length = -1;
    for (;;) {
      const n = await this.conn.read(this.#buf);
      if (n === null) throw new Error("connection closed mid-answer");
      text += latin1.decode(this.#buf.subarray(0, n));
      if (headEnd < 0) {
        headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) continue;
        const m = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, headEnd));
        // A 204 has no body, so no length either (a status callback's answer).
        if (!m && !text.startsWith("HTTP/1.1 204 ")) {
          throw new Error(`an answer without content-length: ${text.slice(0, 200)}`);
        }
        length = m ? Number(m[1]) : 0;
      }
      if (text.length - headEnd - 4 >= length) {
        return {
          status: Number(text.slice(9, 12)),
          body: text.slice(headEnd + 4, headEnd + 4 + length),
        };
      }
    }
  }
}

/** Keep-alive connections to one server, opened as needed and reused. */
export class RawHttpPool {
  #idle: Connection[] = [];
  #all: Connection[] = [];
  #base: URL;
  #headers: string;

  /** `headers` are sent with every request (name → value). */
  constructor(url: string, headers: Record<string, string>) {
    this.#base = new URL(url);
    this.#headers = Object.entries({ host: this.#base.host, ...headers })
      .map(([k, v]) => `${k}: ${v}\r\n`).join("");
  }

  /**
   * POSTs `body` to `path`, with `headers` beside the pool's; a network failure rejects, and
   * its connection is dropped.
   */
  post(path: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<RawAnswer> {
    return this.#request("POST", path, body, headers);
  }

  /** GETs `path`; a network failure rejects, and its connection is dropped. */
  get(path: string): Promise<RawAnswer> {
    return this.#request("GET", path, new Uint8Array(), {});
  }

  async #request(
    method: string,
    path: string,
    body: Uint8Array,
    headers: Record<string, string>,
  ): Promise<RawAnswer> {
    let c = this.#idle.pop();
    if (!c) {
      c = new Connection(
        await Deno.connect({ hostname: this.#base.hostname, port: Number(this.#base.port) }),
      );
      c.conn.setNoDelay(true);
      this.#all.push(c);
    }
    const head = encoder.encode(
      `${method} ${path} HTTP/1.1\r\n${this.#headers}${
        Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")
      }content-length: ${body.length}\r\n\r\n`,
    );
    try {
      const answer = await c.send(head, body);
      this.#idle.push(c);
      return answer;
    } catch (e) {
      this.#drop(c);
      throw e;
    }
  }

  #drop(c: Connection): void {
    this.#all = this.#all.filter((x) => x !== c);
    try {
      c.conn.close();
    } catch { /* already closed */ }
  }

  /** Closes every connection. */
  close(): void {
    for (const c of [...this.#all]) this.#drop(c);
    this.#idle = [];
  }
}
