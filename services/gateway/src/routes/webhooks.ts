import { webhooksCommands as cmd } from '@headlesskey/contracts';
import { Type } from '@sinclair/typebox';
import { queryOf } from './query.js';
import { defineRoute, type RouteGroup } from './route.js';

const Uuid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const ById = Type.Object({ id: Uuid });
const ByDelivery = Type.Object({ id: Uuid, delivery_id: Uuid });
const ADMIN = ['administrator'] as const;

/** Webhook endpoints and their delivery log, for administrators. */
export const webhookRoutes: RouteGroup = {
  name: 'webhooks',
  routes: [
    defineRoute({
      method: 'GET',
      url: '/webhooks',
      access: ADMIN,
      response: cmd.listWebhooks.reply,
      handle: ({ bus }) => bus.send(cmd.listWebhooks, {}),
    }),
    defineRoute({
      method: 'POST',
      url: '/webhooks',
      access: ADMIN,
      body: cmd.CreateWebhookBody,
      response: cmd.createWebhook.reply,
      status: 201,
      handle: ({ body, bus }) => bus.send(cmd.createWebhook, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/webhooks/:id',
      access: ADMIN,
      params: ById,
      response: cmd.getWebhook.reply,
      handle: ({ params, bus }) => bus.send(cmd.getWebhook, params),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/webhooks/:id',
      access: ADMIN,
      params: ById,
      body: cmd.UpdateWebhookBody,
      response: cmd.updateWebhook.reply,
      handle: ({ params, body, bus }) => bus.send(cmd.updateWebhook, { ...body, id: params.id }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/webhooks/:id',
      access: ADMIN,
      params: ById,
      response: cmd.deleteWebhook.reply,
      handle: ({ params, bus }) => bus.send(cmd.deleteWebhook, params),
    }),
    defineRoute({
      method: 'POST',
      url: '/webhooks/:id/rotate-secret',
      access: ADMIN,
      params: ById,
      response: cmd.rotateWebhookSecret.reply,
      handle: ({ params, bus }) => bus.send(cmd.rotateWebhookSecret, params),
    }),
    defineRoute({
      method: 'GET',
      url: '/webhooks/:id/deliveries',
      access: ADMIN,
      params: ById,
      response: cmd.listDeliveries.reply,
      handle: async ({ params, request, bus }) => {
        const found = queryOf(cmd.DeliveriesQuery, request);
        if ('error' in found) return { ok: false, error: found.error };
        return bus.send(cmd.listDeliveries, { ...found.query, id: params.id });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/webhooks/:id/deliveries/:delivery_id/redeliver',
      access: ADMIN,
      params: ByDelivery,
      response: cmd.redeliver.reply,
      handle: ({ params, bus }) => bus.send(cmd.redeliver, params),
    }),
  ],
};
