// The contacts pages' layout, as the inbox's: the list on the left, the open contact (or an
// invitation to pick one) on the right; on phones, one of the two at a time.
import type { ContactsData } from "../lib/pages/contacts.ts";
import ContactList from "../islands/ContactList.tsx";
import ContactView from "../islands/ContactView.tsx";

/** `/contacts` and `/contacts/:id`. */
export function ContactsPage(props: { data: ContactsData }) {
  const { data } = props;
  return (
    <>
      <link rel="stylesheet" href="/static/contacts.css" />
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
