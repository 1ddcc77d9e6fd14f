// A new password for someone else's account: typed or generated, in plain sight (the admin
// has to pass it on), with the rules the server checks written under it.

/** The rules `assertStrongPassword` enforces, in words. */
export const PASSWORD_RULES = "8–128 characters, not a common password, not the email address";

// A readable random password for the admin to pass on; the server checks it like any other.
function randomPassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}-${chars.slice(12)}`;
}

/** A password input with a Generate button and the rules. */
export function PasswordField(props: { value: string; onInput: (v: string) => void; id: string }) {
  return (
    <div class="field">
      <label for={props.id}>Password</label>
      <div class="input-with-button">
        <input
          id={props.id}
          type="text"
          autocomplete="new-password"
          spellcheck={false}
          value={props.value}
          onInput={(e) => props.onInput(e.currentTarget.value)}
          required
        />
        <button
          type="button"
          class="button button-secondary"
          onClick={() => props.onInput(randomPassword())}
        >
          Generate
        </button>
      </div>
      <p class="field-hint">{PASSWORD_RULES}. Share it with them privately.</p>
    </div>
  );
}
