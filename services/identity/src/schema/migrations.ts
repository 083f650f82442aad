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

/** Brute-force counters, outstanding password resets and the queue of reset mails. */
export class ResetAndLockoutMigration extends Migration {
  override async up(): Promise<void> {
    // One row per throttled thing (account, typed name, client IP, reset codes, reset mails),
    // updated under a row lock: every replica counts on the same row.
    this.addSql(`create table attempt_counters (
      key text primary key,
      failures integer not null default 0,
      window_start timestamptz,
      locked_until timestamptz,
      streak integer not null default 0,
      updated_at timestamptz not null default now()
    )`);
    this.addSql('create index attempt_counters_updated_at on attempt_counters (updated_at)');
    // One outstanding reset per user, as a keyed digest: a new one overwrites (voids) the old.
    this.addSql(`create table password_resets (
      user_id integer primary key references users (id),
      request_id uuid not null,
      delivery text not null check (delivery in ('link', 'otp')),
      digest text not null,
      expires_at timestamptz not null
    )`);
    // Requests waiting for their mail. No secret is ever stored here.
    this.addSql(`create table reset_mail_jobs (
      id uuid primary key,
      login_key text not null,
      delivery text not null check (delivery in ('link', 'otp')),
      meta jsonb not null,
      requested_at timestamptz not null default now(),
      not_before timestamptz not null default now(),
      attempts integer not null default 0
    )`);
    this.addSql('create index reset_mail_jobs_not_before on reset_mail_jobs (not_before)');
    this.addSql('create table identity_secrets (name text primary key, value text not null)');
  }
}

/** Which local account a connected site's user is: (site, remote `sub`) → user. */
export class SsoLinksMigration extends Migration {
  override async up(): Promise<void> {
    // `site_id` is the site's identity at link time: a site deleted and connected again under the
    // same key is another site, and the links of the earlier one are void.
    this.addSql(`create table sso_links (
      site_key text not null,
      remote_sub text not null,
      site_id uuid not null,
      user_id integer not null references users (id),
      how text not null check (how in ('email', 'provisioned')),
      linked_at timestamptz not null default now(),
      primary key (site_key, remote_sub)
    )`);
    // A local account stands for at most one user of each site.
    this.addSql('create unique index sso_links_one_per_user on sso_links (site_key, user_id)');
  }
}

/** The settings administrators have set: what `GET /settings` and the settings bucket are made from. */
export class SettingsMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table settings (name text primary key, value jsonb not null, changed_at timestamptz not null)');
  }
}

/** Devices that logged in before, by the digest of their device secret (see sign-in/known-devices.ts). */
export class KnownDevicesMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table known_devices (
      digest text primary key,
      user_id integer not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz not null default now()
    )`);
    this.addSql('create index known_devices_by_user on known_devices (user_id, last_used_at)');
  }
}

/**
 * Whether someone chose the account's password (a registration, a change, a reset) or it is the
 * unknown one of an account an SSO exchange provisioned. Only the latter may be linked by email:
 * with no email verification, an account with a password may be a squatter's.
 */
export class PasswordChosenMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table credentials add column password_chosen boolean not null default true');
    // A provisioned account whose credential never changed still has the password nobody knows.
    this.addSql(`update credentials c set password_chosen = false
      from users u where u.id = c.user_id and c.changed_at = u.registered_at
      and exists (select 1 from sso_links l where l.user_id = u.id and l.how = 'provisioned')`);
    this.addSql('alter table credentials alter column password_chosen drop default');
  }
}

/**
 * The reset mail queue also carries security notices (a password reset or changed), queued in the
 * transaction of the change itself: a notice is sent by the same worker, never blocks the answer
 * and is never lost. A notice names its user; a reset request its typed login and delivery.
 */
export class SecurityNoticesMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table reset_mail_jobs
      add column kind text not null default 'reset' check (kind in ('reset', 'password_reset', 'password_changed')),
      add column user_id integer,
      alter column login_key drop not null,
      alter column delivery drop not null,
      add constraint reset_mail_jobs_kind_fields check (
        case when kind = 'reset' then login_key is not null and delivery is not null and user_id is null
        else user_id is not null and login_key is null and delivery is null end
      )`);
  }
}

/**
 * User administration: whether a user may sign in, their last login, and what `GET /users` searches
 * (a prefix of the login, the email or the display name, in any case) and sorts by (newest first).
 */
export class UserAdministrationMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table users
      add column status text not null default 'active' check (status in ('active', 'disabled')),
      add column last_login_at timestamptz`);
    for (const column of ['user_login', 'user_email', 'display_name']) {
      this.addSql(`create index users_${column}_prefix on users (lower(${column}) text_pattern_ops)`);
    }
  }
}

/**
 * Email verification: whether a user's address is proven, the one outstanding key or code per user
 * (as a digest, bound to the address it was mailed to), and its mails in the reset-mail queue.
 */
export class EmailVerificationMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table users add column email_verified boolean not null default false');
    this.addSql(`create table email_verifications (
      user_id integer primary key references users (id),
      request_id uuid not null,
      delivery text not null check (delivery in ('link', 'otp')),
      email text not null,
      digest text not null,
      expires_at timestamptz not null
    )`);
    this.addSql(`alter table reset_mail_jobs
      drop constraint reset_mail_jobs_kind_check,
      drop constraint reset_mail_jobs_kind_fields,
      add constraint reset_mail_jobs_kind_check check (kind in ('reset', 'verify_email', 'password_reset', 'password_changed')),
      add constraint reset_mail_jobs_kind_fields check (
        case when kind in ('reset', 'verify_email') then login_key is not null and delivery is not null and user_id is null
        else user_id is not null and login_key is null and delivery is null end
      )`);
  }
}

export const identityMigrations = [
  { name: '0001_users', class: UsersMigration },
  { name: '0002_reset_and_lockout', class: ResetAndLockoutMigration },
  { name: '0003_sso_links', class: SsoLinksMigration },
  { name: '0004_settings', class: SettingsMigration },
  { name: '0005_known_devices', class: KnownDevicesMigration },
  { name: '0006_password_chosen', class: PasswordChosenMigration },
  { name: '0007_security_notices', class: SecurityNoticesMigration },
  { name: '0008_user_administration', class: UserAdministrationMigration },
  { name: '0009_email_verification', class: EmailVerificationMigration },
];
