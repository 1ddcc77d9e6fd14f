// Saved replies and broadcasts: `{{contact.first_name}}`-style variables filled in per recipient.

/** The variables a text may use, with what each stands for. */
export const TEMPLATE_VARIABLES: Record<string, string> = {
  "contact.name": "The contact's full name",
  "contact.first_name": "The contact's first name",
  "contact.last_name": "The contact's last name",
  "contact.phone": "The contact's phone number",
  "agent.name": "The name of the person sending",
  "business.name": "The business's name (Settings)",
};

const VARIABLE = /\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}/gi;

/** What filling a text in gave: the text, and the variables that had no value (left blank). */
export interface Filled {
  text: string;
  missing: string[];
  /** Variables the text names that do not exist at all (a typo). */
  unknown: string[];
}

/**
 * Replaces every `{{name}}` with its value; names without a value are reported (and left blank,
 * or kept as `{{name}}` for a person to fill in with `keepMissing`).
 */
export function fillTemplate(
  text: string,
  values: Record<string, string | undefined>,
  options: { keepMissing?: boolean } = {},
): Filled {
  const missing = new Set<string>();
  const unknown = new Set<string>();
  const filled = text.replace(VARIABLE, (_, raw: string) => {
    const name = raw.toLowerCase();
    if (!(name in TEMPLATE_VARIABLES)) unknown.add(name);
    const value = values[name]?.trim();
    if (!value) {
      missing.add(name);
      return options.keepMissing ? `{{${name}}}` : "";
    }
    return value;
  });
  return { text: filled, missing: [...missing], unknown: [...unknown] };
}

/** The variables a text uses, in order of first appearance. */
export function variablesIn(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1].toLowerCase()))];
}

/** The contact variables from a name and a number (first name = the first word). */
export function contactValues(
  name: string | null | undefined,
  phone: string,
): Record<string, string> {
  const parts = (name ?? "").trim().split(/\s+/).filter(Boolean);
  return {
    "contact.name": parts.join(" "),
    "contact.first_name": parts[0] ?? "",
    "contact.last_name": parts.length > 1 ? parts[parts.length - 1] : "",
    "contact.phone": phone,
  };
}

/** The `{{…}}` placeholders still in a text (a saved reply's variables nobody filled in). */
export function unfilled(text: string): string[] {
  return variablesIn(text);
}
