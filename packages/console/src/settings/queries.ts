import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../auth.js';
import { apiUrl } from '../env.js';
import type { SettingsValues } from './form.js';

/** A refusal of the API, its body kept: `rest_invalid_param` names the settings at fault. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly params: unknown,
  ) {
    super(message);
  }
}

async function answer(res: Response): Promise<SettingsValues> {
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(body.code ?? 'unknown', body.message ?? `The server answered ${res.status}.`, body.data?.params);
  return body as SettingsValues;
}

const KEY = ['settings'];

export function useSettings() {
  const { client } = useAuth();
  return useQuery({ queryKey: KEY, queryFn: async () => answer(await client.authFetch(`${apiUrl()}/settings`)) });
}

/** `PATCH /settings`; what it answers is what is in force, and becomes the screen's data. */
export function useSaveSettings() {
  const { client } = useAuth();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async (patch: SettingsValues) =>
      answer(
        await client.authFetch(`${apiUrl()}/settings`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(patch),
        }),
      ),
    onSuccess: (values) => queries.setQueryData(KEY, values),
  });
}
