import { type ReactNode, useEffect, useRef, useState } from 'react';

/**
 * A destructive action that asks in place: the button gives way to the question, the keyboard goes
 * to "Cancel" (the safe answer), and the action runs only on the second, named button. Escape or
 * Cancel puts the focus back on the first button.
 */
export function InlineConfirm({
  label,
  question,
  confirmLabel,
  disabled,
  onConfirm,
}: {
  label: string;
  question: ReactNode;
  confirmLabel: string;
  disabled?: boolean;
  onConfirm(): void;
}) {
  const [asking, setAsking] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) cancel.current?.focus();
    else if (wasAsking.current) opener.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" className="danger" ref={opener} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of two buttons and their question, not a form's fieldset.
    <div role="group" aria-label={label} className="inline-confirm" onKeyDown={(e) => e.key === 'Escape' && setAsking(false)}>
      <p>{question}</p>
      <button type="button" className="secondary" ref={cancel} onClick={() => setAsking(false)}>
        Cancel
      </button>{' '}
      <button type="button" className="danger" onClick={onConfirm}>
        {confirmLabel}
      </button>
    </div>
  );
}
