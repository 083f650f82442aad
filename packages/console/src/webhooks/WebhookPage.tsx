import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { InlineConfirm } from '../ui/InlineConfirm.js';
import { SecretOnce } from '../ui/SecretOnce.js';
import { When } from '../ui/When.js';
import { Deliveries } from './Deliveries.js';
import { Status } from './parts.js';
import { useDeleteWebhook, useRotateWebhookSecret, useSendTestEvent, useUpdateWebhook, useWebhook, type Webhook } from './queries.js';
import { WebhookForm } from './WebhookForm.js';

/** One endpoint: send it a test event, rotate its secret, change or delete it, and its delivery log. */
export function WebhookPage({ id }: { id: string }) {
  const webhook = useWebhook(id);
  const heading = useRef<HTMLHeadingElement>(null);
  // Arriving from the list, the keyboard starts at this page's heading.
  useEffect(() => heading.current?.focus(), []);
  return (
    <>
      <p>
        <Link href="/">← All webhooks</Link>
      </p>
      <h1 tabIndex={-1} ref={heading}>
        Webhook
      </h1>
      {webhook.isPending && <p>Loading the webhook…</p>}
      {webhook.isError && <p className="error">The webhook could not be read: {webhook.error.message}</p>}
      {webhook.data && <Endpoint webhook={webhook.data} />}
    </>
  );
}

function Endpoint({ webhook }: { webhook: Webhook }) {
  const [, navigate] = useLocation();
  const update = useUpdateWebhook(webhook.id);
  const remove = useDeleteWebhook(webhook.id);
  const rotate = useRotateWebhookSecret(webhook.id);
  const test = useSendTestEvent(webhook.id);
  const [saved, setSaved] = useState(false);
  const actionError = remove.error ?? rotate.error ?? test.error;

  return (
    <>
      {/* User-controlled: shown as text, never as a link. */}
      <p className="url-line">
        <code className="url">{webhook.url}</code>
      </p>
      <dl className="facts">
        <dt>Description</dt>
        <dd>{webhook.description || '—'}</dd>
        <dt>Status</dt>
        <dd>
          <Status webhook={webhook} />
        </dd>
        <dt>Created</dt>
        <dd>
          <When at={webhook.created_at} />
        </dd>
      </dl>
      <div className="actions-row">
        <button type="button" disabled={test.isPending} onClick={() => test.mutate()}>
          Send a test event
        </button>
        <button type="button" className="secondary" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
          Rotate secret
        </button>
        <InlineConfirm
          label="Delete webhook"
          confirmLabel="Delete it for good"
          disabled={remove.isPending}
          question="Delete this webhook? Its pending deliveries and its delivery log go with it."
          onConfirm={() => remove.mutateAsync().then(() => navigate('/'))}
        />
      </div>
      <div aria-live="polite" className="news">
        {test.isSuccess && (
          <p className="ok">
            A <code>webhook.test</code> event was queued for this endpoint: it appears in the deliveries below.
            {webhook.enabled ? '' : ' The endpoint is disabled: it waits until the endpoint is enabled.'}
          </p>
        )}
        {actionError && <p className="error">{actionError.message}</p>}
      </div>
      {rotate.data && (
        <SecretOnce
          title="New signing secret"
          label={`New signing secret of ${webhook.url}`}
          secret={rotate.data.secret}
          note={`Until ${new Date(rotate.data.previous_secret_expires_at).toLocaleString()} deliveries carry a signature by the old secret too.`}
          onDone={() => rotate.reset()}
        />
      )}
      <Deliveries webhookId={webhook.id} />
      <section aria-labelledby="edit-webhook" className="panel">
        <h2 id="edit-webhook">Change it</h2>
        <WebhookForm
          key={webhook.updated_at}
          webhook={webhook}
          submitLabel="Save changes"
          pending={update.isPending}
          error={update.error}
          onSubmit={(input) => update.mutateAsync(input).then(() => setSaved(true))}
        />
        <p aria-live="polite" className="ok">
          {saved && !update.isPending && !update.error ? 'Saved. This is the webhook as it is now.' : ''}
        </p>
      </section>
    </>
  );
}
