import { type Static, Type } from '@sinclair/typebox';
import { EVENT_TYPES, type EventType } from '../events.js';
import { PATTERNS, Text } from '../strings.js';
import { defineCommand, READ_ONLY } from './define.js';

const Uuid = Type.String({ pattern: PATTERNS.uuid.pattern });
const NullableString = Type.Union([Type.String(), Type.Null()]);

/** Subscribes an endpoint to every event type, present and future. */
export const ALL_EVENTS = '*';

/** A catalog event type, or `*` for all of them. */
export const WebhookEventType = Type.Union(
  [ALL_EVENTS, ...Object.keys(EVENT_TYPES)].map((type) => Type.Literal(type as EventType | typeof ALL_EVENTS)),
);

/** The event types an endpoint wants; `["*"]` (the default) means all. */
export const WebhookEvents = Type.Array(WebhookEventType, { minItems: 1, maxItems: 32, uniqueItems: true });

/** `http:` or `https:` only, no credentials, no internal address: checked by the webhooks service. */
const WebhookUrl = Text({ minLength: 1, maxLength: 2048 });
const Description = Text({ maxLength: 500 });

export const CreateWebhookBody = Type.Object({
  url: WebhookUrl,
  events: Type.Optional(WebhookEvents),
  description: Type.Optional(Description),
  enabled: Type.Optional(Type.Boolean()),
});
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const UpdateWebhookBody = Type.Object({
  url: Type.Optional(WebhookUrl),
  events: Type.Optional(WebhookEvents),
  description: Type.Optional(Description),
  /** Re-enabling an endpoint disabled by a `410 Gone` resumes its pending deliveries. */
  enabled: Type.Optional(Type.Boolean()),
});
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>;

/** An endpoint as the admin API shows it: never its secret. */
export const WebhookView = Type.Object({
  id: Uuid,
  url: Type.String(),
  events: Type.Array(Type.String()),
  description: Type.String(),
  enabled: Type.Boolean(),
  /** Why the service disabled it (`gone`: it answered 410), or null. */
  disabled_reason: NullableString,
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type WebhookView = Static<typeof WebhookView>;

/** The answer to a creation: the only time the signing secret is shown. */
export const CreatedWebhook = Type.Composite([WebhookView, Type.Object({ secret: Type.String() })]);
export type CreatedWebhook = Static<typeof CreatedWebhook>;

export const RotatedSecret = Type.Object({
  id: Uuid,
  /** The new `whsec_…` secret, shown once. */
  secret: Type.String(),
  /** Until then deliveries carry a signature by the old secret too. */
  previous_secret_expires_at: Type.String(),
});

export const DeliveryStatus = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')]);
export type DeliveryStatus = Static<typeof DeliveryStatus>;

export const DeliveryAttemptView = Type.Object({
  at: Type.String(),
  status_code: Type.Union([Type.Integer(), Type.Null()]),
  error: NullableString,
  duration_ms: Type.Integer(),
});

/** One event for one endpoint: its state and the attempts so far. */
export const DeliveryView = Type.Object({
  id: Uuid,
  endpoint_id: Uuid,
  /** The `webhook-id` header: the same on every attempt. */
  message_id: Type.String(),
  event_id: Uuid,
  event_type: Type.String(),
  status: DeliveryStatus,
  attempts: Type.Integer(),
  next_attempt_at: NullableString,
  last_status_code: Type.Union([Type.Integer(), Type.Null()]),
  last_error: NullableString,
  created_at: Type.String(),
  delivered_at: NullableString,
  /** The latest attempts first, at most 20. */
  attempt_log: Type.Array(DeliveryAttemptView),
});
export type DeliveryView = Static<typeof DeliveryView>;

/** `GET /webhooks/{id}/deliveries` query parameters, as the query string carries them. */
export const DeliveriesQuery = Type.Object({
  status: Type.Optional(DeliveryStatus),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: PATTERNS.cursor.pattern })),
  per_page: Type.Optional(Type.String({ pattern: PATTERNS.perPage.pattern })),
});
export type DeliveriesQuery = Static<typeof DeliveriesQuery>;

const ById = Type.Object({ id: Uuid });

export const createWebhook = defineCommand('webhooks', 'createWebhook', CreateWebhookBody, CreatedWebhook);
export const listWebhooks = defineCommand(
  'webhooks',
  'listWebhooks',
  Type.Object({}),
  Type.Object({ webhooks: Type.Array(WebhookView) }),
  READ_ONLY,
);
export const getWebhook = defineCommand('webhooks', 'getWebhook', ById, WebhookView, READ_ONLY);
export const updateWebhook = defineCommand('webhooks', 'updateWebhook', Type.Composite([ById, UpdateWebhookBody]), WebhookView);
export const deleteWebhook = defineCommand('webhooks', 'deleteWebhook', ById, Type.Object({ id: Uuid, deleted: Type.Literal(true) }));
export const rotateWebhookSecret = defineCommand('webhooks', 'rotateWebhookSecret', ById, RotatedSecret);
export const listDeliveries = defineCommand(
  'webhooks',
  'listDeliveries',
  Type.Composite([ById, DeliveriesQuery]),
  Type.Object({ deliveries: Type.Array(DeliveryView), next_cursor: NullableString }),
  READ_ONLY,
);
/** Sends a delivery again, as soon as possible and with a fresh retry schedule; same `webhook-id`. */
export const redeliver = defineCommand('webhooks', 'redeliver', Type.Object({ id: Uuid, delivery_id: Uuid }), DeliveryView);

/**
 * The type of the test event an administrator sends to one endpoint: no event of the catalog, so
 * no endpoint subscribes to it, and it goes only where it is sent.
 */
export const TEST_EVENT_TYPE = 'webhook.test';
/** Queues a `webhook.test` delivery to this endpoint alone, signed and logged like any other. */
export const sendTestEvent = defineCommand('webhooks', 'sendTestEvent', ById, DeliveryView);

/** An endpoint whose latest attempt failed, or that the service disabled. */
export const FailingEndpoint = Type.Object({
  id: Uuid,
  url: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  disabled_reason: NullableString,
  /** The latest recorded attempt: when, its HTTP status (null: no answer) and its error. */
  last_attempt_at: NullableString,
  last_status_code: Type.Union([Type.Integer(), Type.Null()]),
  last_error: NullableString,
  /** Its deliveries waiting for another attempt after a failed one. */
  retrying: Type.Integer({ minimum: 0 }),
  /** Its deliveries given up on (dead), until redelivered or the endpoint is deleted. */
  dead: Type.Integer({ minimum: 0 }),
});
export type FailingEndpoint = Static<typeof FailingEndpoint>;

export const WebhookStats = Type.Object({
  endpoints: Type.Integer({ minimum: 0 }),
  enabled: Type.Integer({ minimum: 0 }),
  /** Deliveries waiting for an attempt, across every endpoint. */
  pending: Type.Integer({ minimum: 0 }),
  /** Deliveries given up on (dead letters), across every endpoint. */
  dead: Type.Integer({ minimum: 0 }),
  failing: Type.Array(FailingEndpoint),
});
export type WebhookStats = Static<typeof WebhookStats>;

/** Delivery health: the endpoints failing now, and the deliveries waiting or given up on. */
export const webhookStats = defineCommand('webhooks', 'webhookStats', Type.Object({}), WebhookStats, READ_ONLY);
