import type { Settings } from '@headlesskey/contracts';
import type { HttpReply, TestSystem } from './system.js';

/** Whatever answers the REST API: the system's own gateway, or another one in front of it. */
export type Api = Pick<TestSystem, 'apiUrl' | 'request'>;

export interface WpError {
  code: string;
  message: string;
  data: { status: number; params?: Record<string, string>; [key: string]: unknown };
}

export type SettingsReply = HttpReply<Settings & WpError>;

const auth = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
const path = (api: Api, route: string) => `${new URL(api.apiUrl).pathname}${route}`;

/** `GET /settings` with a token, or none. */
export const readSettings = (api: Api, token?: string) =>
  api.request('GET', path(api, '/settings'), undefined, auth(token)) as Promise<SettingsReply>;

/** `PATCH /settings`: an object goes as JSON; a string as it is, as JSON. */
export const patchSettings = (api: Api, token: string | undefined, body: unknown) =>
  api.request(
    'PATCH',
    path(api, '/settings'),
    body,
    typeof body === 'string' ? { ...auth(token), 'content-type': 'application/json' } : auth(token),
  ) as Promise<SettingsReply>;

/** `GET /me`. */
export const whoAmI = (api: Api, token?: string) => api.request<WpError>('GET', path(api, '/me'), undefined, auth(token));

/** A PATCH that must work: its answer, the settings in force afterwards. */
export async function changeSettings(api: Api, token: string, patch: Partial<Settings>): Promise<Settings> {
  const reply = await patchSettings(api, token, patch);
  if (reply.status !== 200) throw new Error(`PATCH /settings answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}
