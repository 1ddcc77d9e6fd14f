// Phone numbers for people on pages without the inbox's store: the labels the server computed
// first, then libphonenumber's formatting once its module (split from the islands) arrives.
import { useEffect, useRef, useState } from "preact/hooks";

type PhoneModule = typeof import("@/lib/shared/phone.ts");

/** A function naming phone numbers; it re-renders the component once formatting is possible. */
export function usePhoneLabels(
  seed: Record<string, string>,
  country: string,
): (e164: string) => string {
  const [phone, setPhone] = useState<PhoneModule | null>(null);
  const known = useRef(new Map(Object.entries(seed)));
  const missing = useRef(false);
  useEffect(() => {
    if (missing.current && !phone) import("@/lib/shared/phone.ts").then(setPhone).catch(() => {});
  });
  return (e164: string) => {
    const label = known.current.get(e164);
    if (label) return label;
    if (!e164.startsWith("+")) return e164;
    if (!phone) {
      missing.current = true;
      return e164;
    }
    const formatted = phone.formatPhone(e164, country);
    known.current.set(e164, formatted);
    return formatted;
  };
}
