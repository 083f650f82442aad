import { useEffect, useRef, useState } from 'react';
import { useRotate } from './queries.js';

/**
 * Rotation, with a step to confirm it: the key of the algorithm in force stops signing (its
 * imported `next` key, or a new generated one, takes over) and verifies until its tokens expire.
 */
export function RotateKey({ algorithm }: { algorithm: string }) {
  const rotate = useRotate();
  const [confirming, setConfirming] = useState(false);
  const start = useRef<HTMLButtonElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  // The keyboard follows the step: to the confirmation when it opens, back when it closes.
  const opened = useRef(false);
  useEffect(() => {
    if (confirming) confirm.current?.focus();
    else if (opened.current) start.current?.focus();
    opened.current ||= confirming;
  }, [confirming]);
  const close = () => setConfirming(false);

  return (
    <section aria-labelledby="rotate-title" className="rotate">
      <h2 id="rotate-title">Rotate</h2>
      {confirming ? (
        <fieldset className="confirm">
          <legend>Rotate the {algorithm} signing key?</legend>
          <p>New tokens are signed with the next key at once; the current one only verifies until the last token it signed expires.</p>
          <button
            type="button"
            ref={confirm}
            disabled={rotate.isPending}
            onClick={() => {
              rotate.reset();
              rotate.mutate(undefined, { onSettled: close });
            }}
          >
            {rotate.isPending ? 'Rotating…' : 'Rotate now'}
          </button>{' '}
          <button type="button" className="secondary" onClick={close} disabled={rotate.isPending}>
            Cancel
          </button>
        </fieldset>
      ) : (
        <button type="button" ref={start} onClick={() => setConfirming(true)}>
          Rotate the {algorithm} key…
        </button>
      )}
      <div aria-live="polite">
        {rotate.isError && <p className="error">The key was not rotated: {rotate.error.message}</p>}
        {rotate.isSuccess && (
          <p className="ok">
            Rotated: {rotate.data.alg} tokens are now signed by <code>{rotate.data.kid}</code>
            {rotate.data.retired.length > 0 && <>; verifying only: {rotate.data.retired.join(', ')}</>}.
          </p>
        )}
      </div>
    </section>
  );
}
