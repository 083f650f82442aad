import { int, optionalStr, str } from '@headlesskey/platform';

export interface AdminBootstrap {
  login: string;
  email: string;
  password: string;
}

export interface IdentityConfig {
  bcryptCost: number;
  /** The site's name: a password equal to it is refused. */
  siteName: string;
  /** Creates this administrator at start when no administrator exists. */
  admin?: AdminBootstrap;
}

export function readIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const login = optionalStr(env, 'HEADLESSKEY_ADMIN_LOGIN');
  const email = optionalStr(env, 'HEADLESSKEY_ADMIN_EMAIL');
  const password = optionalStr(env, 'HEADLESSKEY_ADMIN_PASSWORD');
  return {
    bcryptCost: int(env, 'HEADLESSKEY_BCRYPT_COST', 12, 4, 16),
    siteName: str(env, 'HEADLESSKEY_SITE_NAME', 'HeadlessKey'),
    admin: login && email && password ? { login, email, password } : undefined,
  };
}
