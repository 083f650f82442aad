import { ConfigError, int, optionalStr, str, url } from '@headlesskey/platform';

type Env = Record<string, string | undefined>;

export interface AdminBootstrap {
  login: string;
  email: string;
  password: string;
}

/** Where reset mails go out and what they point to. */
export interface MailConfig {
  /** `smtp://` or `smtps://` server; unset means no mail is ever sent (requests are dropped with a warning). */
  smtpUrl?: string;
  /** The `From:` of every mail. */
  from: string;
  /** The frontend's reset page with `{login}` and `{key}` placeholders; never derived from a request. */
  resetUrl: string;
  /** The frontend's email verification page, the same way (`HEADLESSKEY_VERIFY_URL`). */
  verifyUrl: string;
}

export interface IdentityConfig {
  bcryptCost: number;
  /** The site's name: a password equal to it is refused, and mails are signed with it. */
  siteName: string;
  /** Creates this administrator at start when no administrator exists. */
  admin?: AdminBootstrap;
  mail: MailConfig;
  /**
   * Keys the digests of reset keys and codes. Kept outside the database, a leaked table does not
   * let anyone try the million 6-digit codes offline. Unset: generated once and kept in the store.
   */
  resetPepper?: string;
  /** How many of the most common passwords are refused (at least 100,000). */
  blocklistSize: number;
  /**
   * bcrypt runs at once: libuv's threadpool size (`UV_THREADPOOL_SIZE`, Node's default 4), which
   * runs them. More would only queue there, out of sight of the deadline checks.
   */
  passwordSlots: number;
  /**
   * TEST ONLY: a file whose number of milliseconds every bcrypt waits first (see
   * `DelayedPasswordWork`). Refused unless `NODE_ENV=test`.
   */
  testOnlyBcryptDelayFile?: string;
}

export const DEFAULT_RESET_URL = 'http://localhost:3000/reset-password?login={login}&key={key}';
export const DEFAULT_VERIFY_URL = 'http://localhost:3000/verify-email?login={login}&key={key}';
const MIN_PEPPER_BYTES = 32;

export function readIdentityConfig(env: Env = process.env): IdentityConfig {
  const login = optionalStr(env, 'HEADLESSKEY_ADMIN_LOGIN');
  const email = optionalStr(env, 'HEADLESSKEY_ADMIN_EMAIL');
  const password = optionalStr(env, 'HEADLESSKEY_ADMIN_PASSWORD');
  const siteName = str(env, 'HEADLESSKEY_SITE_NAME', 'HeadlessKey');
  return {
    bcryptCost: int(env, 'HEADLESSKEY_BCRYPT_COST', 12, 4, 16),
    siteName,
    admin: login && email && password ? { login, email, password } : undefined,
    mail: {
      smtpUrl: optionalStr(env, 'HEADLESSKEY_SMTP_URL') && url(env, 'HEADLESSKEY_SMTP_URL', '', ['smtp:', 'smtps:']),
      from: str(env, 'HEADLESSKEY_MAIL_FROM', 'HeadlessKey <no-reply@localhost>'),
      resetUrl: pageUrlTemplate(env, 'HEADLESSKEY_RESET_URL', DEFAULT_RESET_URL),
      verifyUrl: pageUrlTemplate(env, 'HEADLESSKEY_VERIFY_URL', DEFAULT_VERIFY_URL),
    },
    resetPepper: pepper(env),
    blocklistSize: int(env, 'HEADLESSKEY_PASSWORD_BLOCKLIST_SIZE', 100_000, 100_000, 999_999),
    passwordSlots: int(env, 'UV_THREADPOOL_SIZE', 4, 1, 1024),
    testOnlyBcryptDelayFile: testOnlyDelayFile(env),
  };
}

/**
 * A hook that slows every login must never be switched on by a stray variable: it is taken only
 * beside `NODE_ENV=test` (the test runner's), and anywhere else stops the process.
 */
function testOnlyDelayFile(env: Env): string | undefined {
  const name = 'HEADLESSKEY_TEST_ONLY_BCRYPT_DELAY_FILE';
  const file = optionalStr(env, name);
  if (file !== undefined && env.NODE_ENV !== 'test') {
    throw new ConfigError(`${name}: a test-only hook, taken only with NODE_ENV=test; unset it`);
  }
  return file;
}

/** A mailed page's template: an http(s) URL once filled, carrying the key somewhere. */
function pageUrlTemplate(env: Env, name: string, fallback: string): string {
  const template = str(env, name, fallback);
  const filled = template.replaceAll('{login}', 'login').replaceAll('{key}', 'key');
  if (!template.includes('{key}') || !isHttpUrl(filled)) {
    throw new ConfigError(`${name}: expected an http(s) URL with a {key} placeholder, got "${template}"`);
  }
  return template;
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function pepper(env: Env): string | undefined {
  const value = optionalStr(env, 'HEADLESSKEY_RESET_PEPPER');
  if (value !== undefined && Buffer.byteLength(value, 'utf8') < MIN_PEPPER_BYTES) {
    throw new ConfigError(`HEADLESSKEY_RESET_PEPPER: expected at least ${MIN_PEPPER_BYTES} bytes, got ${Buffer.byteLength(value)}`);
  }
  return value;
}
