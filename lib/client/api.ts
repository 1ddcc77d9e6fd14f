// The islands' only way to the server: JSON over fetch, errors turned into words.

/** An API answer that was not a success, with the server's words for it. */
export class ApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = "ApiError";
  }
}

/** An error's message, for people: what the islands show when a call or an action failed. */
export function errorWords(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

let csrf: string | null = null;

/** Remembers the session's CSRF token, which every write must carry. */
export function setCsrfToken(token: string | null | undefined): void {
  if (token) csrf = token;
}

function csrfToken(): string | null {
  return csrf ??
    document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? null;
}

/** Sends the reader to sign in again, back to this page afterwards. */
export function toLogin(): void {
  location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}

/** Calls the API; resolves with the JSON body, or rejects with an ApiError in words. */
export async function api<T>(
  path: string,
  init: {
    method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    body?: unknown;
    idempotencyKey?: string;
    /** Outlives the page (a request made as the tab closes). */
    keepalive?: boolean;
  } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.idempotencyKey) headers["idempotency-key"] = init.idempotencyKey;
  const csrf = init.method && init.method !== "GET" ? csrfToken() : null;
  if (csrf) headers["x-csrf-token"] = csrf;
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
      keepalive: init.keepalive,
    });
  } catch {
    throw new ApiError("Cannot reach Hatch: check your connection and try again", 0);
  }
  let json: unknown = null;
  try {
    json = await res.json();
  } catch { /* a body that is not JSON is described below */ }
  if (res.status === 401) {
    toLogin();
    throw new ApiError("Your session has ended: sign in again", 401);
  }
  if (!res.ok) {
    const words = (json as { error?: unknown } | null)?.error;
    throw new ApiError(
      typeof words === "string" && words ? words : `The server answered ${res.status}`,
      res.status,
    );
  }
  return json as T;
}

/** A query string from the defined values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== "") {
      q.set(k, String(v));
    }
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** Keeps a list's filter text in the address bar (`?q=`), without a new history entry. */
export function keepFilterInUrl(text: string): void {
  const url = new URL(location.href);
  if (text.trim()) url.searchParams.set("q", text.trim());
  else url.searchParams.delete("q");
  history.replaceState(history.state, "", url);
}
