// Pieces of the open conversation's header that the phone frame and the email reader share.
import type { Conversation } from "@/lib/shared/types.ts";
import type { Store } from "@/lib/client/store.ts";
import { closeConversation } from "@/lib/client/actions.ts";
import { IconBack } from "./Icons.tsx";

/** Back to the list (the list screen on phones). */
export function BackButton(props: { store: Store }) {
  return (
    <button
      type="button"
      class="icon-button back-button"
      aria-label="Back to conversations"
      onClick={() => closeConversation(props.store)}
    >
      <IconBack size={20} />
    </button>
  );
}

/** The other side's name, a link to their contact page when they are a saved contact. */
export function ContactName(props: { conv: Conversation | null; label: string }) {
  const id = props.conv?.contact_id;
  if (!id) return <>{props.label}</>;
  return <a class="title-link" href={`/contacts/${id}`} title="Open contact">{props.label}</a>;
}
