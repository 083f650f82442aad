import { Migration } from '@headlesskey/platform';

/** Read models identity answers its own commands from, written with each append. */
export class UsersMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('create sequence user_ids start 1');
    this.addSql(`create table users (
      id integer primary key,
      user_login text not null,
      user_email text not null,
      display_name text not null,
      roles jsonb not null,
      registered_at timestamptz not null
    )`);
    // Logins and emails share one namespace of canonical keys: reserving both in the same
    // transaction as the registration makes exactly one of N racing registrations win.
    this.addSql(`create table user_identifiers (
      key text primary key,
      user_id integer not null references users (id),
      kind text not null check (kind in ('login', 'email'))
    )`);
    // Credentials are state, not events: no hash ever enters the event log.
    this.addSql(`create table credentials (
      user_id integer primary key references users (id),
      password_hash text not null,
      changed_at timestamptz not null
    )`);
  }
}

export const identityMigrations = [{ name: '0001_users', class: UsersMigration }];
