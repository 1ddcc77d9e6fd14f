// Names for contacts as people read them. Phone numbers are formatted by libphonenumber-js,
// which the browser loads only after the first screen: until then the labels the server
// computed (or the bare E.164 number) stand in.
import type { Store } from "./store.ts";
import type { Channel } from "@/lib/shared/types.ts";

type PhoneModule = typeof import("@/lib/shared/phone.ts");

let phone: PhoneModule | null = null;
let loading: Promise<PhoneModule> | null = null;

/** Loads the phone module in the browser (once); labels re-render when it arrives. */
export function loadPhone(store: Store): Promise<PhoneModule> {
  if (phone) return Promise.resolve(phone);
  loading ??= import("@/lib/shared/phone.ts").then((m) => {
    phone = m;
    store.labelsVersion.value++;
    return m;
  });
  return loading;
}

/** The phone module if it has arrived. */
export function phoneModule(): PhoneModule | null {
  return phone;
}

/** A phone number for people: a known label, else formatted if the module is here, else as is. */
export function phoneLabel(store: Store, e164: string): string {
  // Reading the version subscribes the component, so it re-renders once formatting is possible.
  void store.labelsVersion.value;
  const known = store.labels.get(e164);
  if (known) return known;
  if (phone) {
    const label = phone.formatPhone(e164, store.settings.defaultCountry);
    store.labels.set(e164, label);
    return label;
  }
  if (typeof document !== "undefined") void loadPhone(store);
  return e164;
}

/** The name a conversation is shown under: the contact's name, a formatted number, or the address. */
export function contactLabel(
  store: Store,
  c: { channel: Channel; contact: string; contact_name: string | null },
): string {
  if (c.contact_name) return c.contact_name;
  if (c.channel === "sms") return phoneLabel(store, c.contact);
  return c.contact;
}
