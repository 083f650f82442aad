import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/api.js';
import { SCHEMA } from '../settings/schema.js';
import { useImportKey } from './queries.js';

// An HMAC secret is no PEM key: the other algorithms of the setting are the ones imported.
const IMPORTABLE = (SCHEMA.algorithm?.anyOf ?? []).map((choice) => choice.const).filter((alg) => alg !== 'HS256');

/**
 * Import a PEM private key (`POST /keys/import`). The PEM is held by the text field alone (not
 * by React state nor the query client), read when sent, and the field is emptied once the key is
 * kept; a file is read in the browser into the field, never uploaded as a file.
 */
export function ImportKeyForm({ algorithm }: { algorithm: string }) {
  const pem = useRef<HTMLTextAreaElement>(null);
  const [alg, setAlg] = useState(() => (IMPORTABLE.includes(algorithm) ? algorithm : (IMPORTABLE[0] ?? '')));
  // The key to import is most often one for the algorithm just chosen.
  useEffect(() => {
    if (IMPORTABLE.includes(algorithm)) setAlg(algorithm);
  }, [algorithm]);
  const [activate, setActivate] = useState(true);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const importKey = useImportKey(() => ({ algorithm: alg, private_key: pem.current?.value ?? '', activate }));

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    setFileProblem(null);
    if (!chosen || !pem.current) return;
    try {
      pem.current.value = await chosen.text();
    } catch {
      setFileProblem('The file could not be read.');
    }
    // Nothing of the file stays on the picker: the field is what is sent.
    event.target.value = '';
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    importKey.reset();
    await importKey.mutateAsync().then(
      () => {
        if (pem.current) pem.current.value = '';
      },
      () => pem.current?.focus(),
    );
  }

  const params = importKey.error instanceof ApiError ? ((importKey.error.params ?? {}) as Record<string, string>) : {};
  const pemProblem = params.private_key ?? fileProblem ?? undefined;
  const algProblem = params.algorithm;
  const general = importKey.error && !pemProblem && !algProblem ? importKey.error.message : undefined;
  const described = (id: string, problem: string | undefined) => [`${id}-help`, problem ? `${id}-error` : ''].filter(Boolean).join(' ');

  return (
    <form onSubmit={submit} noValidate className="import">
      <div className="field">
        <label htmlFor="import-algorithm">Algorithm of the key</label>
        <p id="import-algorithm-help" className="help">
          RS256 takes an RSA key of 2048 bits or more; ES256 an EC key on P-256.
        </p>
        <select
          id="import-algorithm"
          value={alg}
          aria-describedby={described('import-algorithm', algProblem)}
          aria-invalid={algProblem ? true : undefined}
          onChange={(e) => setAlg(e.target.value)}
        >
          {IMPORTABLE.map((choice) => (
            <option key={choice}>{choice}</option>
          ))}
        </select>
        {algProblem && (
          <p id="import-algorithm-error" className="error">
            {algProblem}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="import-pem">PEM private key</label>
        <p id="import-pem-help" className="help">
          Unencrypted PKCS#8, PKCS#1 or SEC1, from -----BEGIN to -----END. It is kept as generated keys are and never shown again.
        </p>
        <textarea
          id="import-pem"
          ref={pem}
          rows={8}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={described('import-pem', pemProblem)}
          aria-invalid={pemProblem ? true : undefined}
        />
        {pemProblem && (
          <p id="import-pem-error" className="error">
            {pemProblem}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="import-file">Or read the key from a file</label>
        <input id="import-file" type="file" accept=".pem,.key,.txt,application/x-pem-file,text/plain" onChange={readFile} />
      </div>
      <label className="check">
        <input type="checkbox" checked={activate} onChange={(e) => setActivate(e.target.checked)} />
        Sign with it now (otherwise it signs from the next rotation)
      </label>
      <div className="actions" aria-live="polite">
        <button type="submit" disabled={importKey.isPending}>
          {importKey.isPending ? 'Importing…' : 'Import the key'}
        </button>
        {general && <p className="error">The key was not imported: {general}</p>}
        {importKey.isSuccess && (
          <p className="ok">
            Imported as <code>{importKey.data.kid}</code> ({importKey.data.alg}),{' '}
            {importKey.data.state === 'active' ? 'signing now' : 'signing from the next rotation'}.
          </p>
        )}
      </div>
    </form>
  );
}
