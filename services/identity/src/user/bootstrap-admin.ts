import { DomainError, type Logger } from '@headlesskey/platform';
import type { Identity } from '../identity.js';
import { hasAdministrator } from './read-model.js';
import { createUser } from './register.js';

/**
 * Creates the configured administrator when the instance has none. Replicas starting together
 * race safely: the reserved login makes every one but the first answer "exists".
 */
export async function bootstrapAdministrator(app: Identity, logger: Logger): Promise<void> {
  const admin = app.config.admin;
  if (!admin || (await hasAdministrator(app.svc.store.db))) return;
  const context = { ip: '127.0.0.1', userAgent: 'headlesskey-bootstrap', requestId: 'bootstrap' };
  try {
    const user = await createUser(app, { username: admin.login, email: admin.email, password: admin.password, context }, ['administrator']);
    logger.info({ user_id: user.ID }, 'administrator created');
  } catch (err) {
    if (err instanceof DomainError && err.code === 'headlesskey_user_exists') return;
    if (err instanceof DomainError && err.code === 'headlesskey_weak_password') {
      throw new Error(`HEADLESSKEY_ADMIN_PASSWORD is refused by the password policy: ${err.message}`);
    }
    if (err instanceof DomainError && err.code === 'rest_invalid_param') {
      throw new Error(
        `HEADLESSKEY_ADMIN_LOGIN or _EMAIL is refused: ${Object.values((err.details?.params ?? {}) as Record<string, string>).join(' ')}`,
      );
    }
    throw err;
  }
}
