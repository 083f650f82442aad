import { useAuth } from '../auth.js';
import { apiUrl } from '../env.js';

/** A refusal of the API, its body kept: `rest_invalid_param` names the fields at fault in `params`. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly params: unknown,
  ) {
    super(message);
  }
}

/** The body of a 2xx answer; anything else becomes an `ApiError` with the API's own message. */
export async function answer<T>(res: Response): Promise<T> {
  const body = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (!res.ok) {
    throw new ApiError(body.code ?? 'unknown', body.message ?? `The server answered ${res.status}.`, res.status, body.data?.params);
  }
  return body as T;
}

export interface Api {
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/**
 * The signed-in administrator's calls to the REST namespace of this origin, through the SDK's
 * `authFetch` (bearer token, one refresh and retry on an expired token). `path` is under the
 * namespace: `/settings`, `/users/7`.
 */
export function useApi(): Api {
  const { client } = useAuth();
  const url = (path: string, query?: Record<string, string | number | undefined>) => {
    const target = new URL(`${apiUrl()}${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== '') target.searchParams.set(name, String(value));
    }
    return target.href;
  };
  return {
    get: async (path, query) => answer(await client.authFetch(url(path, query))),
    send: async (method, path, body) =>
      answer(
        await client.authFetch(url(path), {
          method,
          ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        }),
      ),
  };
}
