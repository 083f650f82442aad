import { webhooksCommands as cmd, PATTERNS } from '@headlesskey/contracts';
import { Type } from '@sinclair/typebox';
import { defineRoute, type RouteGroup } from './route.js';

const Uuid = Type.String({ pattern: PATTERNS.uuid.pattern });
const ById = Type.Object({ id: Uuid });
const ByDelivery = Type.Object({ id: Uuid, delivery_id: Uuid });
/** Webhook endpoints and their delivery log, for administrators. */
export const webhookRoutes: RouteGroup = {
  name: 'webhooks',
  routes: [
    defineRoute({
      method: 'GET',
      url: '/webhooks',
      summary: 'List webhook endpoints',
      response: cmd.listWebhooks.reply,
      handle: ({ bus }) => bus.send(cmd.listWebhooks, {}),
    }),
    defineRoute({
      method: 'POST',
      url: '/webhooks',
      idempotent: true,
      summary: 'Create a webhook endpoint',
      description: 'The answer holds the `whsec_` signing secret; it is never shown again.',
      body: cmd.CreateWebhookBody,
      response: cmd.createWebhook.reply,
      status: 201,
      handle: ({ body, bus }) => bus.send(cmd.createWebhook, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/webhooks/:id',
      summary: 'A webhook endpoint',
      params: ById,
      response: cmd.getWebhook.reply,
      handle: ({ params, bus }) => bus.send(cmd.getWebhook, params),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/webhooks/:id',
      idempotent: true,
      summary: 'Change a webhook endpoint',
      params: ById,
      body: cmd.UpdateWebhookBody,
      response: cmd.updateWebhook.reply,
      handle: ({ params, body, bus }) => bus.send(cmd.updateWebhook, { ...body, id: params.id }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/webhooks/:id',
      idempotent: true,
      summary: 'Delete a webhook endpoint',
      params: ById,
      response: cmd.deleteWebhook.reply,
      handle: ({ params, bus }) => bus.send(cmd.deleteWebhook, params),
    }),
    defineRoute({
      method: 'POST',
      url: '/webhooks/:id/rotate-secret',
      idempotent: true,
      summary: "Rotate a webhook endpoint's secret",
      description: 'The new secret is shown once; the old one keeps signing beside it for a day.',
      params: ById,
      response: cmd.rotateWebhookSecret.reply,
      handle: ({ params, bus }) => bus.send(cmd.rotateWebhookSecret, params),
    }),
    defineRoute({
      method: 'POST',
      url: '/webhooks/:id/test',
      idempotent: true,
      summary: 'Send a test event to a webhook endpoint',
      description: 'Queues a `webhook.test` delivery to this endpoint only, signed like every delivery and listed in its delivery log.',
      params: ById,
      response: cmd.sendTestEvent.reply,
      status: 202,
      handle: ({ params, bus }) => bus.send(cmd.sendTestEvent, params),
    }),
    defineRoute({
      method: 'GET',
      url: '/webhooks/:id/deliveries',
      summary: 'The delivery log of a webhook endpoint',
      description: 'Newest first; filter by `status`; page with `per_page` and `cursor`.',
      params: ById,
      query: cmd.DeliveriesQuery,
      response: cmd.listDeliveries.reply,
      handle: ({ params, query, bus }) => bus.send(cmd.listDeliveries, { ...query, id: params.id }),
    }),
    defineRoute({
      method: 'POST',
      url: '/webhooks/:id/deliveries/:delivery_id/redeliver',
      idempotent: true,
      summary: 'Send a delivery again',
      params: ByDelivery,
      response: cmd.redeliver.reply,
      handle: ({ params, bus }) => bus.send(cmd.redeliver, params),
    }),
  ],
};
