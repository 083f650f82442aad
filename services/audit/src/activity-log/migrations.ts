import { Migration } from '@headlesskey/platform';

export class ActivityLogMigration extends Migration {
  override async up(): Promise<void> {
    // Keyed by event id: a redelivered event is written once.
    this.addSql(`create table activity_log (
      event_id uuid primary key,
      occurred_at timestamptz not null,
      type text not null,
      user_id integer,
      login text,
      ip text,
      user_agent text,
      outcome text not null,
      trace_id text,
      data jsonb not null,
      recorded_at timestamptz not null default now()
    )`);
    this.addSql('create index activity_log_newest on activity_log (occurred_at desc, event_id desc)');
  }
}

export const auditMigrations = [{ name: '0001_activity_log', class: ActivityLogMigration }];
