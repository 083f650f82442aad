import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { Link } from 'wouter';
import { DataTable } from '../ui/DataTable.js';
import { SecretOnce } from '../ui/SecretOnce.js';
import { type Site, useCreateSite, useSites } from './queries.js';
import { SiteForm } from './SiteForm.js';

const column = createColumnHelper<Site>();
// Issuers and audiences are user-controlled text: shown as text, never as links.
const COLUMNS = [
  column.accessor('site_key', { header: 'Site key', cell: (c) => <code>{c.getValue()}</code> }),
  column.accessor('issuer', { header: 'Issuer', cell: (c) => <code className="url">{c.getValue()}</code> }),
  column.accessor('audience', { header: 'Audience', cell: (c) => c.getValue() ?? '—' }),
  column.accessor('algorithm', { header: 'Verified with', cell: (c) => `${c.getValue()} (${c.row.original.verification})` }),
  column.accessor('provision_users', { header: 'Creates accounts', cell: (c) => (c.getValue() ? 'Yes' : 'No') }),
  column.display({
    id: 'open',
    header: 'Manage',
    cell: (c) => (
      <Link href={`/${encodeURIComponent(c.row.original.site_key)}`} aria-label={`Manage the site ${c.row.original.site_key}`}>
        Manage
      </Link>
    ),
  }),
];

/** Every connected site, and a form to connect one; its shared secret is shown here, once. */
export function SiteList() {
  const sites = useSites();
  const create = useCreateSite();
  const [created, setCreated] = useState<(Site & { secret: string }) | null>(null);
  const [formKey, setFormKey] = useState(0);

  return (
    <>
      <h1>SSO sites</h1>
      <p>Sites whose signed-in users may exchange their token for a session here, with a signature by the shared secret.</p>
      {created && (
        <SecretOnce
          title={`Site ${created.site_key} connected: its shared secret`}
          label={`Shared secret of ${created.site_key}`}
          secret={created.secret}
          note="The site signs its exchange requests with it (HMAC-SHA256)."
          onDone={() => setCreated(null)}
        />
      )}
      {sites.isPending && <p>Loading the sites…</p>}
      {sites.isError && <p className="error">The sites could not be read: {sites.error.message}</p>}
      {sites.data && (
        <DataTable caption="Connected sites" columns={COLUMNS} rows={sites.data} rowKey={(s) => s.site_key} empty="No site yet." />
      )}
      <section aria-labelledby="new-site" className="panel">
        <h2 id="new-site">Connect a site</h2>
        <SiteForm
          key={formKey}
          submitLabel="Connect site"
          pending={create.isPending}
          error={create.error}
          onSubmit={async (body) => {
            setCreated(await create.mutateAsync(body));
            setFormKey((k) => k + 1);
            create.reset();
          }}
        />
      </section>
    </>
  );
}
