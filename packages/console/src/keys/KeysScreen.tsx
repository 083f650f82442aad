import { AlgorithmForm } from './AlgorithmForm.js';
import { ImportKeyForm } from './ImportKeyForm.js';
import { KeyTable, SecretSource } from './KeyTable.js';
import { useKeys } from './queries.js';
import { RotateKey } from './RotateKey.js';
import './keys.css';

/** The JWKS is served at the origin's root, beside the REST namespace (gateway well-known.ts). */
const JWKS_PATH = '/.well-known/jwks.json';

/** The plugin's Algorithms screen: the signing algorithm, the keys, rotation and PEM import. */
export function KeysScreen() {
  const keys = useKeys();
  return (
    <div className="keys">
      <h1>Algorithms and keys</h1>
      <section aria-labelledby="algorithm-title" className="group">
        <h2 id="algorithm-title">Algorithm</h2>
        <AlgorithmForm />
      </section>
      <section aria-labelledby="keys-title" className="group">
        <h2 id="keys-title">Signing keys</h2>
        {keys.isPending && <p>Loading the keys…</p>}
        {keys.isError && <p className="error">The keys could not be read: {keys.error.message}</p>}
        {keys.data && (
          <>
            <SecretSource keys={keys.data.keys} />
            <KeyTable keys={keys.data.keys} />
            <p>
              Verifiers of RS256 and ES256 tokens read the public keys at <a href={JWKS_PATH}>the JWKS ({JWKS_PATH})</a>.
            </p>
          </>
        )}
      </section>
      {keys.data && (
        <>
          <div className="group">
            <RotateKey algorithm={keys.data.algorithm} />
          </div>
          <section aria-labelledby="import-title" className="group">
            <h2 id="import-title">Import a PEM private key</h2>
            <ImportKeyForm algorithm={keys.data.algorithm} />
          </section>
        </>
      )}
    </div>
  );
}

export default KeysScreen;
