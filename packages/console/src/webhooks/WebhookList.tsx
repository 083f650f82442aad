import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { Link } from 'wouter';
import { DataTable } from '../ui/DataTable.js';
import { SecretOnce } from '../ui/SecretOnce.js';
import { EventTypes, Status } from './parts.js';
import { useCreateWebhook, useWebhooks, type Webhook } from './queries.js';
import { WebhookForm } from './WebhookForm.js';

const column = createColumnHelper<Webhook>();
// The URL is user-controlled: text only, never an href. The link goes to the console's own page.
const COLUMNS = [
  column.accessor('url', { header: 'Endpoint URL', cell: (c) => <code className="url">{c.getValue()}</code> }),
  column.accessor('description', { header: 'Description', cell: (c) => c.getValue() }),
  column.accessor('events', { header: 'Event types', cell: (c) => <EventTypes events={c.getValue()} /> }),
  column.display({ id: 'status', header: 'Status', cell: (c) => <Status webhook={c.row.original} /> }),
  column.display({
    id: 'open',
    header: 'Manage',
    cell: (c) => (
      <Link href={`/${c.row.original.id}`} aria-label={`Manage the webhook to ${c.row.original.url}`}>
        Manage
      </Link>
    ),
  }),
];

/** Every endpoint, and a form to add one; a new endpoint's secret is shown here, once. */
export function WebhookList() {
  const webhooks = useWebhooks();
  const create = useCreateWebhook();
  const [created, setCreated] = useState<(Webhook & { secret: string }) | null>(null);
  // A new form after each creation: empty again, nothing unsaved.
  const [formKey, setFormKey] = useState(0);

  return (
    <>
      <h1>Webhooks</h1>
      <p>Endpoints that receive every event they ask for as a signed POST, retried until delivered.</p>
      {created && (
        <SecretOnce
          title="Webhook added: its signing secret"
          label={`Signing secret of ${created.url}`}
          secret={created.secret}
          note="Give it to the receiver to verify the webhook-signature header of each delivery."
          onDone={() => setCreated(null)}
        />
      )}
      {webhooks.isPending && <p>Loading the webhooks…</p>}
      {webhooks.isError && <p className="error">The webhooks could not be read: {webhooks.error.message}</p>}
      {webhooks.data && (
        <DataTable caption="Webhook endpoints" columns={COLUMNS} rows={webhooks.data} rowKey={(w) => w.id} empty="No webhook yet." />
      )}
      <section aria-labelledby="new-webhook" className="panel">
        <h2 id="new-webhook">Add a webhook</h2>
        <WebhookForm
          key={formKey}
          submitLabel="Add webhook"
          pending={create.isPending}
          error={create.error}
          onSubmit={async (input) => {
            const reply = await create.mutateAsync(input);
            setCreated(reply);
            setFormKey((k) => k + 1);
            create.reset();
          }}
        />
      </section>
    </>
  );
}
