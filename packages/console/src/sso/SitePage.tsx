import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { InlineConfirm } from '../ui/InlineConfirm.js';
import { SecretOnce } from '../ui/SecretOnce.js';
import { When } from '../ui/When.js';
import { type Site, useDeleteSite, useRotateSiteSecret, useSite, useUpdateSite } from './queries.js';
import { SiteForm } from './SiteForm.js';

/** One connected site: change it, replace its shared secret, or disconnect it. */
export function SitePage({ siteKey }: { siteKey: string }) {
  const site = useSite(siteKey);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <>
      <p>
        <Link href="/">← All sites</Link>
      </p>
      <h1 tabIndex={-1} ref={heading}>
        SSO site <code>{siteKey}</code>
      </h1>
      {site.isPending && <p>Loading the site…</p>}
      {site.isError && <p className="error">The site could not be read: {site.error.message}</p>}
      {site.data && <Connected site={site.data} />}
    </>
  );
}

function Connected({ site }: { site: Site }) {
  const [, navigate] = useLocation();
  const update = useUpdateSite(site.site_key);
  const remove = useDeleteSite(site.site_key);
  const rotate = useRotateSiteSecret(site.site_key);
  const [saved, setSaved] = useState(false);
  const actionError = remove.error ?? rotate.error;
  return (
    <>
      <dl className="facts">
        <dt>Issuer</dt>
        <dd>
          <code className="url">{site.issuer}</code>
        </dd>
        <dt>Verified with</dt>
        <dd>
          {site.algorithm} ({site.verification}){site.jwks_url ? ' from ' : ''}
          {site.jwks_url && <code className="url">{site.jwks_url}</code>}
        </dd>
        <dt>Connected</dt>
        <dd>
          <When at={site.created_at} />
        </dd>
      </dl>
      <div className="actions-row">
        <button type="button" className="secondary" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
          Rotate shared secret
        </button>
        <InlineConfirm
          label="Disconnect site"
          confirmLabel="Disconnect it"
          disabled={remove.isPending}
          question="Disconnect this site? Its users can no longer exchange its tokens here."
          onConfirm={() => remove.mutateAsync().then(() => navigate('/'))}
        />
      </div>
      <div aria-live="polite">{actionError && <p className="error">{actionError.message}</p>}</div>
      {rotate.data && (
        <SecretOnce
          title="New shared secret"
          label={`New shared secret of ${site.site_key}`}
          secret={rotate.data.secret}
          note="The old one is no longer accepted: give the site this one now."
          onDone={() => rotate.reset()}
        />
      )}
      <section aria-labelledby="edit-site" className="panel">
        <h2 id="edit-site">Change it</h2>
        <SiteForm
          key={site.updated_at}
          site={site}
          submitLabel="Save changes"
          pending={update.isPending}
          error={update.error}
          onSubmit={(body) => update.mutateAsync(body).then(() => setSaved(true))}
        />
        <p aria-live="polite" className="ok">
          {saved && !update.isPending && !update.error ? 'Saved. This is the site as it is now.' : ''}
        </p>
      </section>
    </>
  );
}
