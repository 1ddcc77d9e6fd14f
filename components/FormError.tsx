// The server's words for a failed request, shown where the form is.
import { IconAlert } from "./Icons.tsx";

/** An error line for a form, or nothing when there is no error. */
export function FormError(props: { error: string | null | undefined }) {
  return props.error
    ? (
      <p class="callout callout-boxed form-error" role="alert">
        <IconAlert size={16} /> {props.error}
      </p>
    )
    : null;
}
