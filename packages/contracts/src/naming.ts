import type { HookName } from './hooks.js';

/**
 * Every name an instance creates on the shared NATS and PostgreSQL servers starts with the
 * instance name, so two instances (two SSO sites, parallel test runs) never see each other.
 */
export const INSTANCE_PATTERN = /^[a-z][a-z0-9_]{0,30}$/;

export type ServiceName = 'gateway' | 'identity' | 'tokens' | 'audit' | 'webhooks';

/** Services that own a database of their own. */
export const DATABASE_SERVICES: readonly ServiceName[] = Object.freeze(['identity', 'tokens', 'audit', 'webhooks']);

/** Services that answer commands over the bus. */
export type CommandService = Exclude<ServiceName, 'gateway'>;

export interface Names {
  readonly instance: string;
  /** `hk.cmd.identity.register` */
  command(service: CommandService, name: string): string;
  /** Every command subject of one service, for its queue subscription. */
  commands(service: CommandService): string;
  /**
   * `hk.cmd.identity.<replica>.register`: one replica's own subject for a command, for a command
   * sent again to a replica known to answer (see the platform's bus/replicas.ts).
   */
  replicaCommand(service: CommandService, replica: string, name: string): string;
  /** Every command subject of one replica, for its own subscription beside the queue group's. */
  replicaCommands(service: CommandService, replica: string): string;
  /** `hk.evt.identity.user.registered` */
  event(service: ServiceName, type: string): string;
  /** Every event of the instance. */
  readonly events: string;
  /** Where a consumer parks an event it can never process. */
  deadLetter(consumer: string): string;
  /** Request/reply extension points (`hk.hook.token.claims`), answered by whoever subscribes. */
  hook(name: HookName): string;
  /** Core NATS broadcast to every tokens replica: reload the signing keys. */
  readonly keysChanged: string;
  /** `hk.proc.<id>`: answered by one running process while it lives, so others can ask. */
  process(id: string): string;
  /** `HK_EVENTS` */
  readonly eventStream: string;
  /** `hk_settings` */
  readonly settingsBucket: string;
  /** `hk_rate_limits`: the gateways' shared per-client budgets. */
  readonly rateLimitBucket: string;
  /** `hk_idempotency`: the gateways' shared answers of requests sent with an `Idempotency-Key`. */
  readonly idempotencyBucket: string;
  /** Durable consumer name of one consuming service; `purpose` names a second one of the same service. */
  consumer(service: ServiceName, purpose?: string): string;
  /** `hk_identity`: the database a writing service owns. */
  database(service: ServiceName): string;
  /** Every database of the instance, one per service of `DATABASE_SERVICES`. */
  readonly databases: readonly string[];
  /** Every KV bucket of the instance. */
  readonly buckets: readonly string[];
}

export function names(instance: string): Names {
  if (!INSTANCE_PATTERN.test(instance)) {
    throw new Error(`instance name must match ${INSTANCE_PATTERN}, got "${instance}"`);
  }
  const settingsBucket = `${instance}_settings`;
  const rateLimitBucket = `${instance}_rate_limits`;
  const idempotencyBucket = `${instance}_idempotency`;
  const database = (service: ServiceName) => `${instance}_${service}`;
  return {
    instance,
    command: (service, name) => `${instance}.cmd.${service}.${name}`,
    commands: (service) => `${instance}.cmd.${service}.*`,
    replicaCommand: (service, replica, name) => `${instance}.cmd.${service}.${replica}.${name}`,
    replicaCommands: (service, replica) => `${instance}.cmd.${service}.${replica}.*`,
    event: (service, type) => `${instance}.evt.${service}.${type}`,
    events: `${instance}.evt.>`,
    deadLetter: (consumer) => `${instance}.dlq.${consumer}`,
    hook: (name) => `${instance}.hook.${name}`,
    keysChanged: `${instance}.keys.changed`,
    process: (id) => `${instance}.proc.${id}`,
    eventStream: `${instance.toUpperCase()}_EVENTS`,
    settingsBucket,
    rateLimitBucket,
    idempotencyBucket,
    consumer: (service, purpose) => (purpose ? `${instance}_${service}_${purpose}` : `${instance}_${service}`),
    database,
    databases: DATABASE_SERVICES.map(database),
    buckets: [settingsBucket, rateLimitBucket, idempotencyBucket],
  };
}
