import { type FormEvent, useId, useRef, useState } from 'react';
import { fieldProblems } from '../ui/field-problems.js';
import { useFocusOnProblem, useUnsavedChanges } from '../ui/form-hooks.js';
import { SelectField } from '../ui/SelectField.js';
import { TextField } from '../ui/TextField.js';
import type { Site, SiteBody } from './queries.js';
import { createBody, draftOf, patchBody, SITE_FIELDS, type SiteDraft } from './site-draft.js';

const VERIFICATIONS = [
  { value: 'hs256', label: 'Its HS256 secret' },
  { value: 'public_key', label: 'A PEM public key (RS256 or ES256)' },
  { value: 'jwks', label: 'Its JWKS URL' },
] as const;
const ALGORITHMS = [
  { value: 'RS256', label: 'RS256' },
  { value: 'ES256', label: 'ES256' },
] as const;
const ROLES = [
  { value: 'subscriber', label: 'subscriber' },
  { value: 'contributor', label: 'contributor' },
  { value: 'author', label: 'author' },
  { value: 'editor', label: 'editor' },
] as const;

/**
 * A connected site's settings, for connecting one (no `site`) or changing it: how its own tokens
 * are verified, and what an exchange may do locally. The tokens service checks the whole; its
 * refusals are shown next to their fields.
 */
export function SiteForm({
  site,
  submitLabel,
  pending,
  error,
  onSubmit,
}: {
  site?: Site;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit(body: SiteBody): Promise<unknown>;
}) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<SiteDraft>(() => draftOf(site));
  const body = site ? patchBody(site, draft) : createBody(draft);
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(site));
  const problems = fieldProblems(error, SITE_FIELDS);
  useUnsavedChanges(dirty);
  useFocusOnProblem(form, error);
  const set = (patch: Partial<SiteDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const text = (name: keyof SiteDraft, label: string, help?: string, extra: { multiline?: boolean; type?: 'password' } = {}) => (
    <TextField
      id={`${id}-${name}`}
      label={label}
      value={draft[name] as string}
      onChange={(value) => set({ [name]: value })}
      help={help}
      problem={problems[name]}
      {...extra}
    />
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    await onSubmit(body).catch(() => undefined);
  }

  return (
    <form ref={form} onSubmit={submit} noValidate>
      {!site && text('site_key', 'Site key', 'Its name in exchange requests: lower case letters, digits, -, _ and .')}
      {text('issuer', 'Issuer', 'The iss its tokens carry.')}
      {text('audience', 'Audience (optional)', 'The aud its tokens must carry; empty for any.')}
      <SelectField
        id={`${id}-verification`}
        label="Verify its tokens with"
        value={draft.verification}
        choices={VERIFICATIONS}
        onChange={(verification) => set({ verification })}
        problem={problems.verification}
      />
      {draft.verification === 'hs256' &&
        text(
          'hs256_secret',
          'Its HS256 secret',
          site ? 'Never shown again once saved: leave empty to keep the current one.' : 'At least 32 bytes; never shown again.',
          { type: 'password' },
        )}
      {draft.verification === 'public_key' && text('public_key', 'Public key (PEM)', '-----BEGIN PUBLIC KEY-----…', { multiline: true })}
      {draft.verification === 'jwks' && (
        <>
          {text('jwks_url', 'JWKS URL', 'https (plain http only to localhost).')}
          <SelectField
            id={`${id}-algorithm`}
            label="Algorithm"
            value={draft.algorithm}
            choices={ALGORITHMS}
            onChange={(algorithm) => set({ algorithm })}
            problem={problems.algorithm}
          />
        </>
      )}
      {draft.verification !== 'jwks' && problems.algorithm && <p className="error">{problems.algorithm}</p>}
      <label className="check">
        <input type="checkbox" checked={draft.provision_users} onChange={(e) => set({ provision_users: e.target.checked })} /> Create a
        local account for a user it vouches for
      </label>
      <label className="check">
        <input type="checkbox" checked={draft.link_by_email} onChange={(e) => set({ link_by_email: e.target.checked })} /> Link to a local
        account with the same email
      </label>
      <SelectField
        id={`${id}-default_role`}
        label="Role of a created account"
        value={draft.default_role}
        choices={ROLES}
        onChange={(default_role) => set({ default_role })}
        problem={problems.default_role}
      />
      <div className="form-actions" aria-live="polite">
        <button type="submit" disabled={pending || (site !== undefined && Object.keys(body).length === 0)}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        {problems[''] && <p className="error">{problems['']}</p>}
        {!problems[''] && error ? <p className="error">Not saved: see the fields marked.</p> : null}
      </div>
    </form>
  );
}
