// A form's call to the server, as the settings cards make them: busy while it runs (buttons
// switched off), and when it fails the error in words for the form, never thrown on.
import { useState } from "preact/hooks";
import { api, errorWords } from "./api.ts";

/** What `runAction` reports to: the busy flag, the failure's words, how to word an error. */
export interface ActionReports {
  busy(busy: boolean): void;
  failed(words: string): void;
  /** Turns the error into words; `errorWords` unless given. */
  words?: (e: unknown) => string;
}

/** Runs `work` with `busy` set around it; a failure is reported in words, not thrown. */
export async function runAction(work: () => Promise<unknown>, on: ActionReports): Promise<void> {
  on.busy(true);
  try {
    await work();
  } catch (e) {
    on.failed((on.words ?? errorWords)(e));
  } finally {
    on.busy(false);
  }
}

/** A component's actions: one busy flag and one error shared by every call to `run`. */
export interface Action {
  busy: boolean;
  error: string | null;
  setError(error: string | null): void;
  /**
   * Runs `work`, busy meanwhile. Its failure goes to `onError` when given; otherwise `error` is
   * cleared first and takes the failure's words.
   */
  run(work: () => Promise<unknown>, onError?: (words: string) => void): Promise<void>;
}

/** Busy and error state for a component's calls to the server; `words` words its errors. */
export function useAction(options: { words?: (e: unknown) => string } = {}): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    setError,
    run(work, onError) {
      if (!onError) setError(null);
      return runAction(work, { busy: setBusy, failed: onError ?? setError, words: options.words });
    },
  };
}

/** Deletes `path` through `action` (busy meanwhile, its error in words), then reloads the list. */
export function deleteThenReload(
  action: Action,
  path: string,
  reload: () => Promise<unknown>,
): Promise<void> {
  return action.run(async () => {
    await api(path, { method: "DELETE" });
    await reload();
  });
}
