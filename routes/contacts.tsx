// The contacts: everyone saved, by name, with a search; pick one to see them on their own page.
import type { Principal } from "../lib/auth/principal.ts";
import { define, page } from "../lib/web/define.ts";
import { type ContactsData, contactsPage } from "../lib/pages/contacts.ts";
import { ContactsPage } from "../components/ContactsPage.tsx";

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

export default define.page<ContactsData>(({ data }) => <ContactsPage data={data} />);
