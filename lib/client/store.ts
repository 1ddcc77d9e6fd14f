// The inbox's state as signals. In the browser there is one store, shared by every island
// (module-level); on the server each page render makes its own and provides it through context,
// because a component subscribed to a module-level signal during SSR would never be released.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { type Signal, signal } from "@preact/signals";
import { setCsrfToken } from "./api.ts";
import { createTeamState, seedTeam, type TeamSeed, type TeamState } from "./team_store.ts";
import type {
  Channel,
  Conversation,
  Email,
  Message,
  OptOut,
  SearchState,
} from "@/lib/shared/types.ts";

/** A message as the browser holds it: a server row, or one still being sent from this page. */
export interface LocalMessage extends Message {
  /** Set while the message exists only here: sending, or refused with the API's words. */
  local?: { state: "sending" | "error"; error?: string; key: string };
}

/** The open thread: a saved conversation's rows, or a draft to a new recipient. */
export interface Thread {
  conversationId: string | null;
  channel: Channel;
  messages: LocalMessage[];
  emails: Email[];
  cursor: string | null;
  loading: boolean;
  loadingOlder: boolean;
  error: string | null;
}

/** A conversation not saved yet: the recipient typed in "New conversation". */
export interface Draft {
  to: string;
  channel: "sms" | "chat";
  /** The contact the number was picked from, to name the thread before its first message. */
  name?: string;
}

/** What the email modal opens with. */
export interface ComposerState {
  open: boolean;
  to?: string;
  subject?: string;
  /** Opened by Reply in an email conversation: the window says "Reply". */
  reply?: boolean;
}

/** The live stream's state, for the indicator. */
export type ConnectionState = "connecting" | "live" | "reconnecting";

/** Everything the islands read. */
export interface Store {
  conversations: Signal<Conversation[]>;
  listCursor: Signal<string | null>;
  listLoading: Signal<boolean>;
  /** Why the list could not be filtered, in words; null when it could. */
  listError: Signal<string | null>;
  filter: Signal<string>;
  selectedId: Signal<string | null>;
  /** The open conversation's row (kept even when the list's filter or paging leaves it out). */
  open: Signal<Conversation | null>;
  draft: Signal<Draft | null>;
  thread: Signal<Thread | null>;
  notFound: Signal<string | null>;
  /** The opt-out of an SMS conversation's recipient, kept with the conversation it is for. */
  optOut: Signal<(OptOut & { conversationId: string }) | null>;
  /** Messages and emails matching the filter text; null while there is no filter. */
  search: Signal<SearchState | null>;
  connection: Signal<ConnectionState>;
  composer: Signal<ComposerState>;
  newConversationOpen: Signal<boolean>;
  /**
   * The thread whose composer takes the focus once it appears (its conversation id, or
   * `draft:<to>`): after "New conversation" names someone, what is typed next is the message.
   */
  focusComposer: Signal<string | null>;
  /** Bumped when phone labels change (libphonenumber arrived), so labels re-render. */
  labelsVersion: Signal<number>;
  /** Ticks each minute so "Today"/"Yesterday" stay true on a page left open. */
  now: Signal<number>;
  /** The reader's IANA zone; the server guesses from a cookie, the browser corrects it. */
  timeZone: Signal<string>;
  settings: {
    sandbox: boolean;
    /** The sandbox email provider: the simulator answers in email conversations too. */
    emailSandbox: boolean;
    defaultCountry: string;
    latestEventId: string;
    /** The signed-in user's id: their own sends say "You", a colleague's their name. */
    userId: string | null;
  };
  labels: Map<string, string>;
  /** The team inbox: views, assignees, labels, notes, presence. */
  team: TeamState;
}

/** The parts of the store each island's props can fill. */
export interface StoreSeed {
  conversations?: Conversation[];
  listCursor?: string | null;
  filter?: string;
  selectedId?: string | null;
  open?: Conversation | null;
  thread?: Thread | null;
  notFound?: string | null;
  optOut?: (OptOut & { conversationId: string }) | null;
  search?: SearchState | null;
  labels?: Record<string, string>;
  sandbox?: boolean;
  emailSandbox?: boolean;
  defaultCountry?: string;
  timeZone?: string;
  latestEventId?: string;
  now?: number;
  csrfToken?: string | null;
  userId?: string | null;
  team?: TeamSeed;
}

/** Makes a store, filled from a seed. */
export function createStore(seed: StoreSeed = {}): Store {
  const store: Store = {
    conversations: signal([]),
    listCursor: signal(null),
    listLoading: signal(false),
    listError: signal(null),
    filter: signal(""),
    selectedId: signal(null),
    open: signal(null),
    draft: signal(null),
    thread: signal(null),
    notFound: signal(null),
    optOut: signal(null),
    search: signal(null),
    connection: signal("connecting"),
    composer: signal({ open: false }),
    newConversationOpen: signal(false),
    focusComposer: signal(null),
    labelsVersion: signal(0),
    now: signal(seed.now ?? Date.now()),
    timeZone: signal("UTC"),
    settings: {
      sandbox: false,
      emailSandbox: false,
      defaultCountry: "US",
      latestEventId: "0",
      userId: null,
    },
    labels: new Map(),
    team: createTeamState(),
  };
  seedStore(store, seed);
  return store;
}

/** Fills the parts of a store that a seed carries. */
export function seedStore(store: Store, seed: StoreSeed): void {
  if (seed.conversations) store.conversations.value = seed.conversations;
  if (seed.listCursor !== undefined) store.listCursor.value = seed.listCursor;
  if (seed.filter !== undefined) store.filter.value = seed.filter;
  if (seed.selectedId !== undefined) store.selectedId.value = seed.selectedId;
  if (seed.open !== undefined) store.open.value = seed.open;
  if (seed.thread !== undefined) store.thread.value = seed.thread;
  if (seed.notFound !== undefined) store.notFound.value = seed.notFound;
  if (seed.optOut !== undefined) store.optOut.value = seed.optOut;
  if (seed.search !== undefined) store.search.value = seed.search;
  if (seed.now !== undefined) store.now.value = seed.now;
  for (const [k, v] of Object.entries(seed.labels ?? {})) store.labels.set(k, v);
  if (seed.sandbox !== undefined) store.settings.sandbox = seed.sandbox;
  if (seed.emailSandbox !== undefined) store.settings.emailSandbox = seed.emailSandbox;
  if (seed.defaultCountry) store.settings.defaultCountry = seed.defaultCountry;
  if (seed.timeZone) store.timeZone.value = seed.timeZone;
  if (seed.latestEventId) store.settings.latestEventId = seed.latestEventId;
  if (seed.userId) store.settings.userId = seed.userId;
  seedTeam(store.team, seed.team);
  if (typeof document !== "undefined") setCsrfToken(seed.csrfToken);
}

const StoreContext = createContext<Store | null>(null);

/** Provides a page render's own store to the islands inside it (server side). */
export const StoreProvider = StoreContext.Provider;

let browserStore: Store | null = null;
const seeded = new Set<string>();

/** The browser's single store; only for code that runs in the browser (handlers, effects). */
export function clientStore(): Store {
  if (!browserStore) browserStore = createStore();
  return browserStore;
}

/** The store for any component below an island: the provided one, else the browser's. */
export function useInbox(): Store {
  const provided = useContext(StoreContext);
  return provided ?? clientStore();
}

/** The store for an island: the page's on the server; in the browser the shared one, seeded once per island from its props. */
export function useStore(island: string, seed: () => StoreSeed): Store {
  const provided = useContext(StoreContext);
  if (provided) return provided;
  const store = clientStore();
  if (!seeded.has(island)) {
    seeded.add(island);
    seedStore(store, seed());
  }
  return store;
}
