// The contacts page's left column: the way back to the inbox, a search over names, numbers and
// addresses, and everyone saved, by name under letter headings, paging in more on scroll.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Contact } from "@/lib/shared/types.ts";
import { keepFilterInUrl, setCsrfToken } from "@/lib/client/api.ts";
import { findContacts, onContactNews } from "@/lib/client/contacts.ts";
import { usePhoneLabels } from "@/lib/client/phone_labels.ts";
import { ContactRow } from "@/components/ContactRow.tsx";
import { ContactEditor } from "@/components/ContactEditor.tsx";
import { AppNav } from "@/components/AppNav.tsx";
import { SidebarFoot } from "@/components/SidebarFoot.tsx";
import { IconPlus, IconSearch, Logo } from "@/components/Icons.tsx";

/** What the page gives the list. */
export interface ContactListProps {
  contacts: Contact[];
  cursor: string | null;
  q: string;
  selectedId: string | null;
  labels: Record<string, string>;
  defaultCountry: string;
  csrfToken: string | null;
  user: { id: string; email: string; name: string; role: string } | null;
}

// The heading a name files under: its first letter, or # for anything else.
function letterOf(name: string): string {
  const first = Array.from(name.trim())[0]?.toLocaleUpperCase("en-US") ?? "";
  return /\p{L}/u.test(first) ? first : "#";
}

function byName(a: Contact, b: Contact): number {
  const d = a.name.toLowerCase().localeCompare(b.name.toLowerCase());
  return d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The contacts list island. */
export default function ContactList(props: ContactListProps) {
  const [list, setList] = useState(props.contacts);
  const [cursor, setCursor] = useState(props.cursor);
  const [q, setQ] = useState(props.q);
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const phone = usePhoneLabels(props.labels, props.defaultCountry);
  const sentinel = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const seq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // The observer's callback outlives renders: it reads the latest paging state from here.
  const paging = useRef({ cursor, q, loading });
  paging.current = { cursor, q, loading };

  const loadMore = async () => {
    const { cursor: before, q: text, loading: busy } = paging.current;
    if (!before || busy) return;
    setLoading(true);
    const mine = seq.current;
    try {
      const page = await findContacts(text, before);
      if (mine !== seq.current) return;
      setList((l) => [...l, ...page.contacts.filter((c) => !l.some((x) => x.id === c.id))]);
      setCursor(page.next_cursor);
    } catch {
      // The sentinel stays in view; the next scroll tries again.
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  };

  useEffect(() => {
    setCsrfToken(props.csrfToken);
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore();
    }, { root: scroller.current, rootMargin: "0px 0px 400px 0px" });
    if (sentinel.current) io.observe(sentinel.current);
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
        e.preventDefault();
        search.current?.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    const stop = onContactNews((news) => {
      if ("saved" in news) {
        const saved = news.saved;
        setList((l) =>
          l.some((c) => c.id === saved.id)
            ? l.map((c) => c.id === saved.id ? saved : c).sort(byName)
            : l
        );
      } else {
        setList((l) => {
          const rest = l.filter((c) => c.id !== news.deleted);
          return news.into ? rest.map((c) => c.id === news.into!.id ? news.into! : c) : rest;
        });
      }
    });
    return () => {
      io.disconnect();
      document.removeEventListener("keydown", onKey);
      stop();
    };
  }, []);

  const filter = (text: string) => {
    setQ(text);
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      const mine = ++seq.current;
      setLoading(true);
      try {
        const page = await findContacts(text);
        if (mine !== seq.current) return;
        setList(page.contacts);
        setCursor(page.next_cursor);
        keepFilterInUrl(text);
      } catch {
        // Keeps the current list; typing again retries.
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    }, 180);
  };

  const suffix = q.trim() ? `?q=${encodeURIComponent(q.trim())}` : "";
  const rows: ComponentChildren[] = [];
  let letter = "";
  for (const c of list) {
    const l = letterOf(c.name);
    if (l !== letter) {
      rows.push(<li key={`l-${l}`} class="letter" role="presentation">{l}</li>);
      letter = l;
    }
    rows.push(
      <ContactRow
        key={c.id}
        contact={c}
        selected={c.id === props.selectedId}
        href={`/contacts/${c.id}${suffix}`}
        phone={phone}
      />,
    );
  }

  return (
    <aside
      class={`sidebar${props.selectedId ? " is-behind" : ""}`}
      aria-label="Contacts"
    >
      <header class="sidebar-head">
        <div class="brand">
          <Logo size={26} />
          <span class="brand-name">Hatch</span>
        </div>
        <div class="sidebar-actions">
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            <IconPlus size={16} /> New contact
          </button>
        </div>
      </header>
      <AppNav current="contacts" />
      <div class="search">
        <IconSearch size={16} />
        <label class="sr-only" for="contact-filter">Search contacts</label>
        <input
          id="contact-filter"
          ref={search}
          type="search"
          value={q}
          placeholder="Search names, numbers, emails"
          autocomplete="off"
          onInput={(e) => filter(e.currentTarget.value)}
        />
        <kbd class="search-key" aria-hidden="true">/</kbd>
      </div>
      <div class="rows-scroll" ref={scroller}>
        <ul class="rows contact-rows">{rows}</ul>
        <div ref={sentinel} class="rows-foot" aria-live="polite">
          {loading
            ? <span class="spinner" aria-label="Loading" />
            : list.length === 0
            ? (
              <div class="rows-empty">
                <p class="rows-empty-title">
                  {q.trim() ? `Nobody matches “${q.trim()}”` : "No contacts yet"}
                </p>
                <p>
                  {q.trim()
                    ? "Try part of a name, a number or an email address."
                    : "Add the people you text and email to see each one's history in one place."}
                </p>
              </div>
            )
            : cursor
            ? null
            : (
              <span class="rows-end">
                {list.length} {list.length === 1 ? "contact" : "contacts"}
              </span>
            )}
        </div>
      </div>
      {props.user && <SidebarFoot user={props.user} csrfToken={props.csrfToken} />}
      {creating && (
        <ContactEditor
          defaultCountry={props.defaultCountry}
          onSaved={(c) => location.assign(`/contacts/${c.id}`)}
          onClose={() => setCreating(false)}
        />
      )}
    </aside>
  );
}
