// The contacts: everyone saved, by name, with a search; pick one to see them on their own page.
// Laid out as the inbox is: the list on the left, the open contact (or an invitation to pick
// one) on the right; on phones, one of the two at a time. `/contacts/:id` renders this page too.
import type { Principal } from "@/lib/auth/principal.ts";
import { define, page } from "@/lib/web/define.ts";
import { type ContactsData, contactsPage } from "@/lib/pages/contacts.ts";
import ContactList from "@/islands/ContactList.tsx";
import ContactView from "@/islands/ContactView.tsx";
import { Stylesheets } from "@/components/Stylesheets.tsx";

export const handler = define.handlers({
  async GET(c) {
    const { sql, settings } = c.var.app;
    const data = await contactsPage(sql, {
      id: null,
      q: new URL(c.req.url).searchParams.get("q") ?? "",
      defaultCountry: settings.HATCH_DEFAULT_COUNTRY,
      cookie: c.req.header("cookie"),
      // The auth gate sets it; read loosely so the page renders where no gate runs (tests).
      principal: c.var.principal as Principal | undefined,
    });
    return page(data);
  },
});

/** `/contacts` and `/contacts/:id`: the list beside the open contact. */
export function ContactsPage(props: { data: ContactsData }) {
  const { data } = props;
  return (
    <>
      <Stylesheets
        names={[
          "callout",
          "buttons",
          "dialog",
          "shell",
          "shell-parts",
          "contact-form",
          "contacts",
          "contact-details",
        ]}
      />
      <div class="app contacts-app">
        <ContactList
          contacts={data.contacts.items}
          cursor={data.contacts.next_cursor}
          q={data.q}
          selectedId={data.open?.contact.id ?? null}
          labels={data.labels}
          defaultCountry={data.defaultCountry}
          csrfToken={data.csrfToken}
          user={data.user}
        />
        <ContactView
          detail={data.open}
          notFound={data.notFound}
          labels={data.labels}
          defaultCountry={data.defaultCountry}
          timeZone={data.timeZone}
          now={Date.now()}
          csrfToken={data.csrfToken}
        />
      </div>
    </>
  );
}

export default define.page<ContactsData>(({ data }) => <ContactsPage data={data} />);
