import { useEffect, useId, useRef, useState } from 'react';
import './buttons.css';
import './secret-once.css';

/**
 * A secret the API shows this once (a webhook's `whsec_`, an SSO site's shared secret): said
 * plainly, focused when it appears so a screen reader hears it, with a copy button that falls back
 * to selecting the text where the browser keeps the clipboard closed.
 */
export function SecretOnce({
  title,
  label,
  secret,
  note,
  onDone,
}: {
  title: string;
  label: string;
  secret: string;
  note?: string;
  onDone(): void;
}) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState('');
  useEffect(() => heading.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('Copied to the clipboard.');
    } catch {
      // No clipboard (not allowed, or no API): the text is selected for the person to copy.
      field.current?.focus();
      field.current?.select();
      setCopied('The browser did not let the console copy it: the secret is selected, copy it with Ctrl+C (⌘C on a Mac).');
    }
  }

  return (
    <section className="secret-once" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} tabIndex={-1} ref={heading}>
        {title}
      </h2>
      <p>
        <strong>Copy it now: it will not be shown again.</strong> {note}
      </p>
      <label htmlFor={`${id}-secret`}>{label}</label>
      <div className="secret-row">
        <input
          id={`${id}-secret`}
          ref={field}
          readOnly
          value={secret}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p role="status">{copied}</p>
      <button type="button" className="secondary" onClick={onDone}>
        I have stored it
      </button>
    </section>
  );
}
