import { randomUUID } from 'node:crypto';
import type { webhooksCommands } from '@headlesskey/contracts';
import { checkTarget, checkUrl, DomainError, type Resolver, type Store } from '@headlesskey/platform';
import type { WebhooksConfig } from '../config.js';
import { newSecret } from '../signing/secret.js';
import { normalizeEvents } from './events.js';
import { deleteEndpoint, findEndpoint, insertEndpoint, listEndpoints, rotateSecret, updateEndpoint } from './store.js';
import { toWebhookView } from './view.js';

interface ById {
  id: string;
}

const notFound = () => new DomainError('headlesskey_not_found', 'No webhook endpoint has that id.');

/** The admin API of endpoints: the SSRF guard checks every URL before it is kept. */
export function endpointHandlers(store: Store, config: WebhooksConfig, resolve?: Resolver) {
  const guardedUrl = async (url: string): Promise<string> => {
    const verdict = await checkTarget(url, { allowPrivate: config.allowPrivate, resolve });
    if (!verdict.ok) throw new DomainError('rest_invalid_param', undefined, { params: { url: verdict.reason } });
    const parsed = checkUrl(url);
    return parsed.ok ? parsed.url.href : url;
  };
  return {
    async create(body: webhooksCommands.CreateWebhookBody): Promise<webhooksCommands.CreatedWebhook> {
      const secret = newSecret();
      const row = await insertEndpoint(store.db, {
        id: randomUUID(),
        url: await guardedUrl(body.url),
        description: body.description ?? '',
        events: normalizeEvents(body.events),
        enabled: body.enabled ?? true,
        secret,
      });
      return { ...toWebhookView(row), secret };
    },
    async list(): Promise<{ webhooks: webhooksCommands.WebhookView[] }> {
      return { webhooks: (await listEndpoints(store.db)).map(toWebhookView) };
    },
    async get({ id }: ById): Promise<webhooksCommands.WebhookView> {
      const row = await findEndpoint(store.db, id);
      if (!row) throw notFound();
      return toWebhookView(row);
    },
    async update({ id, ...patch }: ById & webhooksCommands.UpdateWebhookBody): Promise<webhooksCommands.WebhookView> {
      const row = await updateEndpoint(store.db, id, {
        url: patch.url === undefined ? undefined : await guardedUrl(patch.url),
        description: patch.description,
        events: patch.events === undefined ? undefined : normalizeEvents(patch.events),
        enabled: patch.enabled,
      });
      if (!row) throw notFound();
      return toWebhookView(row);
    },
    async remove({ id }: ById): Promise<{ id: string; deleted: true }> {
      if (!(await deleteEndpoint(store.db, id))) throw notFound();
      return { id, deleted: true };
    },
    async rotate({ id }: ById): Promise<{ id: string; secret: string; previous_secret_expires_at: string }> {
      const secret = newSecret();
      const expires = await rotateSecret(store.db, id, secret, config.secretOverlapSeconds);
      if (!expires) throw notFound();
      return { id, secret, previous_secret_expires_at: expires };
    },
  };
}
