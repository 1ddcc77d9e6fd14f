// The contacts pages rendered on the server, without a database: hostile names, notes and
// subjects are escaped, both islands are wrapped, and the timeline is in the first HTML.
import assert from "node:assert/strict";
import type { ComponentType } from "preact";
import { registerIslands, renderPage } from "@/lib/web/render.tsx";
import type { PageProps } from "@/lib/web/define.ts";
import App from "@/routes/_app.tsx";
import ContactsRoute from "@/routes/contacts/[id].tsx";
import ContactList from "@/islands/ContactList.tsx";
import ContactView from "@/islands/ContactView.tsx";
import type { ContactsData } from "@/lib/pages/contacts.ts";
import type { Contact } from "@/lib/shared/types.ts";

registerIslands({ ContactList, ContactView });

const HOSTILE = `<img src=x onerror=alert(1)>`;
const SUBJECT = `<script>alert("x")</script>`;

function contact(i: number, name = `Customer ${i}`): Contact {
  const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
  return {
    id,
    name,
    notes: i === 0 ? `${HOSTILE} likes tulips` : "",
    phones: [`+1415555${1000 + i}`],
    emails: i % 2 ? [`c${i}@example.com`] : [],
    created_at: "2025-01-01T10:00:00.000Z",
    updated_at: "2025-01-01T10:00:00.000Z",
    conversation_ids: [],
  };
}

function data(): ContactsData {
  const open = contact(0, HOSTILE);
  return {
    title: `${HOSTILE} · Contacts · Hatch`,
    contacts: {
      items: [open, ...Array.from({ length: 30 }, (_, i) => contact(i + 1))],
      next_cursor: null,
    },
    q: "",
    open: {
      contact: open,
      conversations: [],
      latestEventId: "7",
      timeline: {
        next_cursor: "older",
        items: [{
          kind: "email",
          id: "10000000-0000-4000-8000-000000000001",
          conversation_id: "20000000-0000-4000-8000-000000000001",
          channel: "email",
          direction: "outbound",
          address: "c0@example.com",
          subject: SUBJECT,
          text: HOSTILE,
          status: "delivered",
          error: null,
          attachments: 0,
          keyword: null,
          sender: null,
          timestamp: "2025-01-10T12:00:00.000Z",
        }],
      },
    },
    notFound: null,
    labels: { "+14155551000": "(415) 555-1000" },
    defaultCountry: "US",
    timeZone: "America/New_York",
    csrfToken: "token",
    user: {
      id: "00000000-0000-4000-8000-0000000000aa",
      email: "ana@marigold.shop",
      name: "Ana",
      role: "admin",
    },
  };
}

function render(d: ContactsData): string {
  const props: PageProps = {
    data: d,
    url: new URL(`http://x/contacts/${d.open?.contact.id}`),
    params: {},
  };
  const Shell = App as ComponentType<PageProps & { Component: ComponentType<PageProps> }>;
  return renderPage(<Shell {...props} Component={ContactsRoute as ComponentType<PageProps>} />);
}

Deno.test("contacts render: hostile text is escaped and both islands are wrapped", () => {
  const html = render(data());
  assert.ok(!html.includes("<img src=x"), "no live <img> from a name or notes");
  assert.ok(!html.includes('<script>alert("x")'), "no live <script> from a subject");
  assert.ok(html.includes("<title>&lt;img src=x onerror=alert(1)> · Contacts · Hatch</title>"));
  for (const name of ["ContactList", "ContactView"]) {
    assert.ok(html.includes(`data-island="${name}"`), `${name} is hydrated`);
  }
  assert.equal((html.match(/<hatch-island/g) ?? []).length, 2, "islands are not nested");
  assert.ok(html.includes('class="tl-entry'), "the timeline is rendered on the server");
  assert.ok(html.includes("Load older"), "with a way to older entries");
  assert.ok(html.includes("(415) 555-1000"), "numbers are formatted on the server");
  const m = html.match(/data-island="ContactView" data-props="([^"]*)"/);
  const props = JSON.parse(
    m![1].replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">")
      .replaceAll("&amp;", "&"),
  );
  assert.equal(props.detail.contact.name, HOSTILE);
  assert.equal(props.detail.timeline.items[0].subject, SUBJECT);
});
