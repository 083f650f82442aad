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

/**
 * The log becomes a versioned projection: rows live in `activity_log_v<N>`, readers read the view
 * `activity_log`, and `activity_log_versions` says which version is live and which one a rebuild
 * is filling. A rebuild fills the next version beside the live one and swaps the view in one
 * transaction, so reads never wait for it. Existing rows move into version 1.
 */
export class VersionedActivityLogMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table activity_log_v1 (
      event_id uuid primary key,
      occurred_at timestamptz not null,
      type text not null,
      user_id integer,
      login text,
      ip inet,
      user_agent text,
      browser text,
      os text,
      device_type text not null,
      outcome text not null,
      trace_id text,
      data jsonb not null
    )`);
    this.addSql('create index activity_log_v1_newest on activity_log_v1 (occurred_at desc, event_id desc)');
    this.addSql('create index activity_log_v1_user on activity_log_v1 (user_id, occurred_at desc, event_id desc)');
    this.addSql('create index activity_log_v1_type on activity_log_v1 (type, occurred_at desc, event_id desc)');
    // A text column of the first version may hold anything; what is not an address becomes null.
    this.addSql(`create function pg_temp.try_inet(value text) returns inet language plpgsql as $$
      begin return value::inet; exception when others then return null; end $$`);
    this.addSql(`insert into activity_log_v1
      select event_id, occurred_at, type, user_id, login, pg_temp.try_inet(ip), user_agent, null, null, 'unknown', outcome, trace_id, data
      from activity_log`);
    this.addSql('drop table activity_log');
    this.addSql('create view activity_log as select * from activity_log_v1');
    this.addSql(`create table activity_log_versions (
      singleton boolean primary key default true check (singleton),
      live integer not null,
      building integer,
      building_heartbeat timestamptz
    )`);
    this.addSql('insert into activity_log_versions (live) values (1)');
    // Who a user id is, from the events that say so: filled in at read time, so an entry does not
    // depend on the order in which replicas happened to project events.
    this.addSql('create table audit_users (user_id integer primary key, login text not null)');
    this.addSql('create index audit_users_login on audit_users (lower(login))');
  }
}

/**
 * Each entry keeps when it was projected, beside when its event occurred: the difference is the
 * projector's lag, which operators watch. Every version table gets it (a rebuild copies the live
 * table's shape), and the view is re-made so readers see it.
 */
export class ProjectedAtMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`do $$
      declare version_table text;
      begin
        for version_table in select tablename from pg_tables
          where schemaname = current_schema() and tablename ~ '^activity_log_v[0-9]+$'
        loop
          execute format('alter table %I add column projected_at timestamptz not null default clock_timestamp()', version_table);
        end loop;
        execute format('create or replace view activity_log as select * from %I',
          'activity_log_v' || (select live from activity_log_versions));
      end $$`);
  }
}

export const auditMigrations = [
  { name: '0001_activity_log', class: ActivityLogMigration },
  { name: '0002_versioned_activity_log', class: VersionedActivityLogMigration },
  { name: '0003_projected_at', class: ProjectedAtMigration },
];
