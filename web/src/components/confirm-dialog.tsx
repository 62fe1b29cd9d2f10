// The question asked before something is removed for good: a modal that names exactly what goes
// and what follows from it. A native <dialog> opened with showModal(), so the page behind is
// inert, Escape cancels, and focus returns to the button that opened it.
import { useId, useLayoutEffect, useRef } from 'react';
import type { ReactNode } from 'react';

export interface ConfirmDialogProps {
  /** The question, naming what goes ("Remove shop.example.com?"); it names the dialog too. */
  title: string;
  /** What removing it does, in words. */
  children: ReactNode;
  /** The confirming button's words ("Remove domain"). */
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
}

/** Render it only while the question is asked; it opens when mounted. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onCancel }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useLayoutEffect(() => {
    const element = dialog.current;
    element?.showModal();
    // The safe choice has the focus, so an Enter pressed out of habit removes nothing.
    cancel.current?.focus();
    // Closed before React removes it, so the browser hands the focus back to the opener.
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="confirm"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId}>{children}</div>
      <p className="row">
        <button ref={cancel} type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </p>
    </dialog>
  );
}
