import { Migration } from '@headlesskey/platform';
import { ClaimFunctionMigration, LeaseHolderMigration } from './claim-function.js';

/**
 * Endpoints, and one delivery row per endpoint and event: created when the event is consumed,
 * attempted by whichever replica claims it when due, so retries outlive any process.
 */
export class WebhooksMigration extends Migration {
  override async up(): Promise<void> {
    // The secret must be readable to sign with (HMAC), so it is kept, never shown after creation.
    this.addSql(`create table endpoints (
      id uuid primary key,
      url text not null,
      description text not null default '',
      events jsonb not null default '["*"]',
      enabled boolean not null default true,
      disabled_reason text,
      secret text not null,
      previous_secret text,
      previous_secret_expires_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create table deliveries (
      id uuid primary key,
      endpoint_id uuid not null references endpoints (id) on delete cascade,
      event_id uuid not null,
      event_type text not null,
      message_id text not null,
      body text not null,
      status text not null check (status in ('pending', 'delivered', 'dead')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      locked_until timestamptz,
      claim_token uuid,
      last_status_code integer,
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      delivered_at timestamptz,
      constraint deliveries_once unique (endpoint_id, event_id)
    )`);
    this.addSql(`create index deliveries_due on deliveries (next_attempt_at) where status = 'pending'`);
    this.addSql('create index deliveries_leased on deliveries (locked_until) where locked_until is not null');
    this.addSql('create index deliveries_log on deliveries (endpoint_id, created_at desc, id desc)');
    this.addSql(`create table delivery_attempts (
      id bigserial primary key,
      delivery_id uuid not null references deliveries (id) on delete cascade,
      attempted_at timestamptz not null default now(),
      status_code integer,
      error text,
      duration_ms integer not null
    )`);
    this.addSql('create index delivery_attempts_log on delivery_attempts (delivery_id, id desc)');
  }
}

export const webhooksMigrations = [
  { name: '0001_webhooks', class: WebhooksMigration },
  { name: '0002_claim_function', class: ClaimFunctionMigration },
  { name: '0003_lease_holder', class: LeaseHolderMigration },
];
