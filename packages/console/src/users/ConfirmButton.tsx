import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

/**
 * A button for a destructive action that asks first, in a modal `<dialog>`: the browser keeps
 * focus inside it, Escape cancels, and focus goes back to the button afterwards. The action runs
 * only on the dialog's own confirm button.
 */
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel = label,
  disabled,
  className = 'danger',
  onConfirm,
}: {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel?: string;
  disabled?: boolean;
  className?: string;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button type="button" className={className} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
      {asking && (
        <Confirm
          title={title}
          confirmLabel={confirmLabel}
          onAnswer={(yes) => {
            setAsking(false);
            if (yes) onConfirm();
          }}
        >
          {children}
        </Confirm>
      )}
    </>
  );
}

function Confirm({
  title,
  confirmLabel,
  children,
  onAnswer,
}: {
  title: string;
  confirmLabel: string;
  children: ReactNode;
  onAnswer: (yes: boolean) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element?.showModal();
    return () => {
      element?.close();
      // Removed from the page, the dialog gives focus back to no one: back to the button, if it is still there.
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    // `cancel` is Escape: the dialog closes, and nothing is done.
    <dialog ref={dialog} className="confirm" aria-labelledby={titleId} onCancel={() => onAnswer(false)}>
      <h2 id={titleId}>{title}</h2>
      <div>{children}</div>
      <div className="confirm-actions">
        {/* The safe answer first: it has the focus when the dialog opens. */}
        <button type="button" className="secondary" onClick={() => onAnswer(false)}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => onAnswer(true)}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
