import { Migration } from '@mikro-orm/migrations';

/** The event store every writing service has: the log, and the outbox its relay drains. */
export class EventStoreMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table events (
      global_position bigserial primary key,
      id uuid not null unique,
      stream_id text not null,
      version integer not null,
      type text not null,
      data jsonb not null,
      meta jsonb not null,
      recorded_at timestamptz not null default now(),
      constraint events_stream_version unique (stream_id, version)
    )`);
    this.addSql(`create table outbox (
      position bigserial primary key,
      event_id uuid not null,
      subject text not null,
      payload jsonb not null
    )`);
  }
}
