// A native modal <dialog> driven by an `open` prop: the page behind stays inert, Esc and the
// close button call `onClose`, and focus returns to whatever opened it.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { IconClose } from "./Icons.tsx";

/** A modal dialog with a title; `children` is its body. */
export function Modal(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  size?: "sm" | "md";
  /** The selector of the field to focus when it opens. */
  focus?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (props.open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
      if (props.focus) d.querySelector<HTMLElement>(props.focus)?.focus();
    } else if (!props.open && d.open) {
      d.close();
      (opener.current as HTMLElement | null)?.focus?.();
    }
  }, [props.open]);

  return (
    <dialog
      ref={dialog}
      class={`modal${props.size === "sm" ? " modal-sm" : ""}`}
      aria-label={props.title}
      onCancel={(e) => {
        // Esc: let the owner decide, so its state and the dialog never disagree.
        e.preventDefault();
        props.onClose();
      }}
    >
      {props.open && (
        <>
          <div class="modal-head">
            <h2>{props.title}</h2>
            <button
              type="button"
              class="icon-button"
              aria-label="Close"
              onClick={props.onClose}
            >
              <IconClose size={18} />
            </button>
          </div>
          {props.children}
        </>
      )}
    </dialog>
  );
}

/**
 * A dialog's closing row: Cancel, then its action. The action submits the dialog's form, or
 * with `onAction` acts on a click; `danger` colours it for what cannot be undone.
 */
export function ModalActions(props: {
  onCancel: () => void;
  busy: boolean;
  children: ComponentChildren;
  onAction?: () => void;
  danger?: boolean;
}) {
  return (
    <div class="modal-actions">
      <button type="button" class="button button-ghost" onClick={props.onCancel}>
        Cancel
      </button>
      <button
        type={props.onAction ? "button" : "submit"}
        class={`button ${props.danger ? "button-danger" : "button-primary"}`}
        disabled={props.busy}
        onClick={props.onAction}
      >
        {props.children}
      </button>
    </div>
  );
}
