// The email composer's To field as people fill it: an address, `Name <address>`, or a saved
// contact's name (looked up as typed, then written out as the address it stands for).
import { useEffect, useState } from "preact/hooks";
import { emailListProblem } from "@/lib/shared/address.ts";
import { findContacts } from "./contacts.ts";

/** What the To field resolves to: the address to send to, or the problem in words. */
export interface EmailTo {
  address: string | null;
  problem: string | null;
  /** Shown under the field when a contact's name was written: `Maria Chen <maria@…>`. */
  hint: string | null;
}

/** Reads `Name <address>` as its address; other text as it is. */
export function angleAddress(text: string): string {
  const m = /^[^<>]*<([^<>]+)>$/.exec(text.trim());
  return m ? m[1].trim() : text.trim();
}

/** Resolves the To field's text, looking contacts up by name while the text has no "@". */
export function useEmailTo(text: string): EmailTo {
  const t = text.trim();
  const byName = t.length >= 2 && !t.includes("@");
  const [found, setFound] = useState<{ q: string; name: string; email: string } | null>(null);
  const [missed, setMissed] = useState<string | null>(null);
  useEffect(() => {
    if (!byName) return;
    const timer = setTimeout(() => {
      findContacts(t, null, 5).then((page) => {
        const withEmail = page.contacts.filter((c) => c.emails.length);
        const exact = withEmail.filter((c) => c.name.toLowerCase() === t.toLowerCase());
        const pick = exact.length === 1 ? exact[0] : withEmail.length === 1 ? withEmail[0] : null;
        if (pick) setFound({ q: t, name: pick.name, email: pick.emails[0] });
        else setMissed(t);
      }).catch(() => setMissed(t));
    }, 150);
    return () => clearTimeout(timer);
  }, [t]);
  if (byName) {
    if (found?.q === t) {
      return { address: found.email, problem: null, hint: `${found.name} <${found.email}>` };
    }
    return {
      address: null,
      problem: missed === t
        ? `"${t}" is not a valid email address, nor the name of a contact with one`
        : `Looking up "${t}" in your contacts…`,
      hint: null,
    };
  }
  const address = angleAddress(t);
  const problem = emailListProblem(address, { required: true, single: true });
  return { address: problem ? null : address, problem, hint: null };
}
