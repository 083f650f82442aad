/**
 * Every metric the system exports, by its OpenTelemetry name: the services record them, and the
 * Grafana dashboard and the Prometheus alert rules under `infra/` read them (a test holds the two
 * together). A scrape of a process's `/metrics` shows each name with dots as underscores and, for
 * a counter, `_total` (`headlesskey_identity_logins_total`); units stay out of the name.
 */
export interface MetricDef {
  readonly name: string;
  readonly kind: 'counter' | 'histogram' | 'gauge' | 'observableGauge' | 'observableCounter';
  /** UCUM: `s`, or a `{annotation}` for a count, which Prometheus leaves out of the name. */
  readonly unit: string;
  readonly description: string;
  /** Histograms: bucket bounds in the metric's unit. */
  readonly buckets?: readonly number[];
}

/** OpenTelemetry's recommended bounds of `http.server.request.duration`, in seconds. */
const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const define = <const T extends Record<string, MetricDef>>(defs: T): Readonly<T> => Object.freeze(defs);

export const METRICS = define({
  /** Gateway: every answered request, by `http.request.method`, `http.route` and `http.response.status_code`. */
  httpServerDuration: {
    name: 'http.server.request.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Duration of HTTP server requests.',
    buckets: HTTP_DURATION_BUCKETS,
  },
  /** Identity: `/token` and `/login` by `outcome`: succeeded, failed (wrong password or vetoed), locked. */
  logins: { name: 'headlesskey.identity.logins', kind: 'counter', unit: '{login}', description: 'Password logins by outcome.' },
  /** Identity: bcrypt checks waiting for a slot. */
  passwordChecksQueued: {
    name: 'headlesskey.identity.password_checks.queued',
    kind: 'gauge',
    unit: '{check}',
    description: 'Password checks waiting for a bcrypt slot.',
  },
  /** Identity: bcrypt checks refused because they could not have finished before their deadline. */
  passwordChecksShed: {
    name: 'headlesskey.identity.password_checks.shed',
    kind: 'counter',
    unit: '{check}',
    description: 'Password checks refused for load (headlesskey_unavailable).',
  },
  /** Tokens: refreshes by `outcome`: succeeded, refused. */
  refreshes: { name: 'headlesskey.tokens.refreshes', kind: 'counter', unit: '{refresh}', description: 'Token refreshes by outcome.' },
  /** Tokens: a rotated refresh token presented again, which ends its session. */
  reuseDetections: {
    name: 'headlesskey.tokens.reuse_detections',
    kind: 'counter',
    unit: '{detection}',
    description: 'Refreshes with an already rotated token (the session was ended).',
  },
  /** Every writing service: outbox rows committed and not yet published. */
  outboxBacklog: {
    name: 'headlesskey.outbox.backlog',
    kind: 'observableGauge',
    unit: '{event}',
    description: 'Events committed to the outbox and not yet on the stream.',
  },
  /** Every writing service: how long the oldest unpublished event has waited (0 when none waits). */
  outboxLag: {
    name: 'headlesskey.outbox.lag',
    kind: 'observableGauge',
    unit: 's',
    description: 'Age of the oldest event waiting in the outbox.',
  },
  /** Every durable consumer, by `consumer`: events of the stream it has yet to handle. */
  consumerPending: {
    name: 'headlesskey.consumer.pending',
    kind: 'observableGauge',
    unit: '{event}',
    description: 'Events not yet delivered to, or not yet acknowledged by, the durable consumer.',
  },
  /** Every durable consumer, by `consumer`: how old the last event it handled was, from its publication. */
  consumerLag: {
    name: 'headlesskey.consumer.lag',
    kind: 'gauge',
    unit: 's',
    description: 'Age of the last event the consumer handled, when it handled it.',
  },
  /** Webhooks: deliveries waiting for an attempt (new, or retrying). */
  webhookQueueDepth: {
    name: 'headlesskey.webhooks.queue.depth',
    kind: 'observableGauge',
    unit: '{delivery}',
    description: 'Webhook deliveries waiting for an attempt.',
  },
  /** Webhooks: attempts by `outcome`: delivered, retrying (another attempt is scheduled), dead. */
  webhookAttempts: {
    name: 'headlesskey.webhooks.attempts',
    kind: 'counter',
    unit: '{attempt}',
    description: 'Webhook delivery attempts by outcome.',
  },
  /** `npm start`'s supervisor: crashed replicas it started again, by `service`. */
  restarts: {
    name: 'headlesskey.supervisor.restarts',
    kind: 'observableCounter',
    unit: '{restart}',
    description: 'Crashed service processes started again.',
  },
});

export type MetricKey = keyof typeof METRICS;
