import { HeadlessKeyError } from '@headlesskey/client';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { NotAdministrator, useAuth } from './auth.js';

/** What a refused sign-in tells the person, in their terms. */
function refusal(err: unknown): string {
  if (err instanceof NotAdministrator) return err.message;
  if (err instanceof HeadlessKeyError) {
    if (err.status === 0) return 'The server cannot be reached. Try again in a moment.';
    return err.message;
  }
  return 'Signing in failed. Try again.';
}

export function SignIn() {
  const { signIn, ended } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLParagraphElement>(null);
  // A refusal takes the focus, so a screen reader reads it and the keyboard starts from it.
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('username')), String(form.get('password')));
    } catch (err) {
      setError(refusal(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <h1>HeadlessKey console</h1>
      {ended && !error && <p role="status">{ended}</p>}
      <form onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
        <label htmlFor="username">Username or email</label>
        <input id="username" name="username" autoComplete="username" required />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        {error && (
          <p id="signin-error" className="error" role="alert" tabIndex={-1} ref={errorRef}>
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
