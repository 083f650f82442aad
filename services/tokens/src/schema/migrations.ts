import { Migration } from '@headlesskey/platform';

export class KeysAndSessionsMigration extends Migration {
  override async up(): Promise<void> {
    // Generated signing material lives only here; it never enters an event.
    this.addSql(`create table signing_keys (
      kid text primary key,
      alg text not null,
      material jsonb not null,
      origin text not null check (origin in ('generated', 'configured')),
      created_at timestamptz not null default now(),
      retired_at timestamptz,
      verify_until timestamptz
    )`);
    this.addSql("create unique index one_live_generated_key on signing_keys (alg) where origin = 'generated' and retired_at is null");
    this.addSql(`create table sessions (
      id uuid primary key,
      user_id integer not null,
      device text not null,
      ip text not null,
      user_agent text not null,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      refresh_until timestamptz not null,
      current_jti uuid not null,
      status text not null check (status in ('active', 'ended'))
    )`);
    this.addSql('create index sessions_by_user on sessions (user_id) where status = $$active$$');
  }
}

/** When a session last opened with a password: a later password change must end it, an earlier one not. */
export class SessionOpenedAtMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table sessions add column opened_at timestamptz');
    this.addSql('update sessions set opened_at = created_at');
    this.addSql('alter table sessions alter column opened_at set not null');
  }
}

/** Connected SSO sites and the remote token ids already exchanged. */
export class SsoMigration extends Migration {
  override async up(): Promise<void> {
    // `id` tells a site from an earlier one of the same key: links made for that one are void.
    // `secret` and `hs256_secret` are kept to compute HMACs and verify; no answer ever carries them.
    this.addSql(`create table sso_sites (
      site_key text primary key,
      id uuid not null unique,
      secret text not null,
      issuer text not null,
      audience text,
      verification text not null check (verification in ('hs256', 'public_key', 'jwks')),
      algorithm text not null check (algorithm in ('HS256', 'RS256', 'ES256')),
      hs256_secret text,
      public_key text,
      jwks_url text,
      provision_users boolean not null,
      link_by_email boolean not null,
      default_role text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    // The primary key makes "accepted once" atomic across replicas; rows go once the token expired.
    this.addSql(`create table sso_used_jtis (
      site_key text not null,
      jti text not null,
      expires_at timestamptz not null,
      primary key (site_key, jti)
    )`);
    this.addSql('create index sso_used_jtis_expires_at on sso_used_jtis (expires_at)');
  }
}

/** The users this service signs tokens for, projected from identity's events (see users/projection.ts). */
export class UsersMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table users (
      id integer primary key,
      version integer not null,
      profile jsonb not null
    )`);
  }
}

/**
 * Whether a session's device was named by the client: only those are taken back by a later login.
 * Earlier rows kept no such mark; a device that differs from the row's User-Agent was named.
 */
export class NamedDevicesMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table sessions add column device_named boolean not null default false');
    this.addSql("update sessions set device_named = true where device <> user_agent and device <> 'unknown'");
  }
}

/** Whether an administrator disabled the user: no session opens for one, and theirs have ended. */
export class UserStandingMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table users add column disabled boolean not null default false');
  }
}

/**
 * Keys an administrator imports: kept as generated keys are, with their origin, and `staged` until
 * the next rotation makes them sign. One live key per algorithm, whatever its origin.
 */
export class ImportedKeysMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table signing_keys drop constraint signing_keys_origin_check');
    this.addSql(
      "alter table signing_keys add constraint signing_keys_origin_check check (origin in ('generated', 'configured', 'imported'))",
    );
    this.addSql('alter table signing_keys add column staged boolean not null default false');
    this.addSql('drop index one_live_generated_key');
    this.addSql(
      "create unique index one_live_key on signing_keys (alg) where origin <> 'configured' and retired_at is null and not staged",
    );
  }
}

export const tokensMigrations = [
  { name: '0001_keys_and_sessions', class: KeysAndSessionsMigration },
  { name: '0002_session_opened_at', class: SessionOpenedAtMigration },
  { name: '0003_sso', class: SsoMigration },
  { name: '0004_users', class: UsersMigration },
  { name: '0005_named_devices', class: NamedDevicesMigration },
  { name: '0006_user_standing', class: UserStandingMigration },
  { name: '0007_imported_keys', class: ImportedKeysMigration },
];
