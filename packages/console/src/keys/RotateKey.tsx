import { InlineConfirm } from '../ui/InlineConfirm.js';
import { useRotate } from './queries.js';

/**
 * Rotation, asked first: the key of the algorithm in force stops signing (its imported `next`
 * key, or a new generated one, takes over) and verifies until its tokens expire.
 */
export function RotateKey({ algorithm }: { algorithm: string }) {
  const rotate = useRotate();
  return (
    <section aria-labelledby="rotate-title" className="rotate">
      <h2 id="rotate-title">Rotate</h2>
      <InlineConfirm
        label={`Rotate the ${algorithm} key…`}
        className=""
        question={
          <>
            <strong>Rotate the {algorithm} signing key?</strong> New tokens are signed with the next key at once; the current one only
            verifies until the last token it signed expires.
          </>
        }
        confirmLabel="Rotate now"
        pendingLabel="Rotating…"
        onConfirm={() => {
          rotate.reset();
          return rotate.mutateAsync();
        }}
      />
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
