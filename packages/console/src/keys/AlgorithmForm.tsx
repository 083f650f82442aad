import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useSaveSettings, useSettings } from '../settings/queries.js';
import { SCHEMA } from '../settings/schema.js';
import { KEYS } from './queries.js';

const CHOICES = (SCHEMA.algorithm?.anyOf ?? []).map((choice) => choice.const);

/** The `algorithm` setting: what new tokens are signed with, saved with `PATCH /settings`. */
export function AlgorithmForm() {
  const settings = useSettings();
  const save = useSaveSettings();
  const queries = useQueryClient();
  const inForce = settings.data?.algorithm as string | undefined;
  const [chosen, setChosen] = useState(inForce ?? '');
  const [saved, setSaved] = useState(false);
  useEffect(() => setChosen(inForce ?? ''), [inForce]);
  if (settings.isPending) return <p>Loading the algorithm…</p>;
  if (settings.isError) return <p className="error">The algorithm could not be read: {settings.error.message}</p>;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    await save.mutateAsync({ algorithm: chosen }).then(
      () => setSaved(true),
      () => undefined,
    );
    // The key list says which key signs now.
    await queries.invalidateQueries({ queryKey: KEYS });
  }

  const problem = save.error?.message;
  return (
    <form onSubmit={submit} className="algorithm" noValidate>
      <label htmlFor="algorithm">Signing algorithm</label>
      <p id="algorithm-help" className="help">
        New tokens are signed with {inForce}. HS256 shares one secret with every verifier; RS256 and ES256 publish their public keys in the
        JWKS.
      </p>
      <div className="inline">
        <select
          id="algorithm"
          value={chosen}
          aria-describedby={problem ? 'algorithm-help algorithm-error' : 'algorithm-help'}
          aria-invalid={problem ? true : undefined}
          onChange={(e) => {
            setSaved(false);
            setChosen(e.target.value);
          }}
        >
          {CHOICES.map((alg) => (
            <option key={alg}>{alg}</option>
          ))}
        </select>
        <button type="submit" disabled={chosen === inForce || save.isPending}>
          {save.isPending ? 'Saving…' : 'Use this algorithm'}
        </button>
      </div>
      <div aria-live="polite">
        {problem && (
          <p id="algorithm-error" className="error">
            {problem}
          </p>
        )}
        {saved && chosen === inForce && <p className="ok">Saved: new tokens are signed with {inForce}.</p>}
      </div>
    </form>
  );
}
