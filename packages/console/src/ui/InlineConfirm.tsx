import { type ReactNode, useEffect, useRef, useState } from 'react';
import './buttons.css';
import './inline-confirm.css';

/**
 * The console's one way to ask before a destructive action, in place: the button gives way to the
 * question, the keyboard goes to "Cancel" (the safe answer), and the action runs only on the
 * second, named button. Escape or Cancel does nothing and puts the focus back on the first button.
 *
 * `onConfirm` may return a promise (a `mutateAsync`): the question stays, its buttons disabled,
 * until it settles, so the action cannot be sent twice. The owner reports the outcome (its
 * mutation's error or a live region); the question then closes, and the focus goes back to the
 * first button unless the owner has put it somewhere else.
 */
export function InlineConfirm({
  label,
  question,
  confirmLabel,
  pendingLabel = confirmLabel,
  disabled,
  className = 'danger',
  onConfirm,
}: {
  label: string;
  /** Phrasing content: a sentence, or a short title in <strong> and what follows. */
  question: ReactNode;
  confirmLabel: string;
  /** The confirm button's words while the action runs. */
  pendingLabel?: string;
  disabled?: boolean;
  /** The first button's class: `danger` unless the action is a routine one (e.g. a key rotation). */
  className?: string;
  onConfirm(): unknown;
}) {
  const [asking, setAsking] = useState(false);
  const [pending, setPending] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const giveBack = useRef(false);
  useEffect(() => {
    if (asking) {
      giveBack.current = true;
      cancel.current?.focus();
      return;
    }
    // The question took the focus with it when it went: back to the button once it can take it
    // (the owner may still show it disabled for a moment), unless the owner moved the focus.
    if (!giveBack.current || disabled) return;
    giveBack.current = false;
    if (!document.activeElement || document.activeElement === document.body) opener.current?.focus();
  }, [asking, disabled]);

  const confirm = async () => {
    setPending(true);
    try {
      await onConfirm();
    } catch {
      // The owner shows the failure (its mutation's error): here it only ends the wait.
    } finally {
      setPending(false);
      setAsking(false);
    }
  };

  if (!asking) {
    return (
      <button type="button" className={className} ref={opener} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of two buttons and their question, not a form's fieldset.
    <div role="group" aria-label={label} className="inline-confirm" onKeyDown={(e) => e.key === 'Escape' && !pending && setAsking(false)}>
      <p>{question}</p>
      <button type="button" className="secondary" ref={cancel} disabled={pending} onClick={() => setAsking(false)}>
        Cancel
      </button>{' '}
      <button type="button" className="danger" disabled={pending} onClick={confirm}>
        {pending ? pendingLabel : confirmLabel}
      </button>
    </div>
  );
}
