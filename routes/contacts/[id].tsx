// One contact's page: their numbers, addresses and notes, and every SMS and email with them in
// one timeline, beside the contacts list. Edit, merge and delete start here.
import type { Principal } from "@/lib/auth/principal.ts";
import { define, page } from "@/lib/web/define.ts";
import { type ContactsData, contactsPage } from "@/lib/pages/contacts.ts";
import { ContactsPage } from "@/routes/contacts.tsx";

export const handler = define.handlers({
  async GET(c) {
    const { sql, settings } = c.var.app;
    const data = await contactsPage(sql, {
      id: c.req.param("id") ?? null,
      q: new URL(c.req.url).searchParams.get("q") ?? "",
      defaultCountry: settings.HATCH_DEFAULT_COUNTRY,
      cookie: c.req.header("cookie"),
      principal: c.var.principal as Principal | undefined,
    });
    return page(data, data.notFound ? 404 : 200);
  },
});

export default define.page<ContactsData>(({ data }) => <ContactsPage data={data} />);
