// Deleting a contact, behind a confirmation: their conversations stay, shown by number or
// address. Once it is gone the page moves on, so the dialog stays busy on success.
import { useState } from "preact/hooks";
import type { Contact } from "@/lib/shared/types.ts";
import { errorWords } from "@/lib/client/api.ts";
import { removeContact } from "@/lib/client/contacts.ts";
import { Modal, ModalActions } from "./Modal.tsx";
import { IconAlert, IconTrash } from "./Icons.tsx";

/** The "Delete contact?" dialog; `onDeleted` runs once the server has deleted them. */
export function ContactDelete(props: {
  contact: Contact;
  open: boolean;
  onClose: () => void;
  onDeleted: (contact: Contact) => void;
}) {
  const { contact } = props;
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A failure is for this attempt: the next opening starts clean.
  const close = () => {
    setError(null);
    props.onClose();
  };
  const remove = async () => {
    if (deleting) return;
    setDeleting(true);
    setError(null);
    try {
      await removeContact(contact.id);
      props.onDeleted(contact);
    } catch (e) {
      setError(errorWords(e));
      setDeleting(false);
    }
  };
  return (
    <Modal open={props.open} title={`Delete ${contact.name}?`} size="sm" onClose={close}>
      <div class="modal-form">
        <p class="modal-lead">
          Their conversations, texts and emails stay in the inbox, shown by number or address
          instead of a name. This cannot be undone.
        </p>
        {error && (
          <p class="callout callout-boxed form-error" role="alert">
            <IconAlert size={16} /> {error}
          </p>
        )}
        <ModalActions onCancel={close} busy={deleting} danger onAction={remove}>
          <IconTrash size={15} /> {deleting ? "Deleting…" : "Delete contact"}
        </ModalActions>
      </div>
    </Modal>
  );
}
