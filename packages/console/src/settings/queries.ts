import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api.js';
import type { SettingsValues } from './form.js';

const KEY = ['settings'];

export function useSettings() {
  const api = useApi();
  return useQuery({ queryKey: KEY, queryFn: () => api.get<SettingsValues>('/settings') });
}

/** `PATCH /settings`; what it answers is what is in force, and becomes the screen's data. */
export function useSaveSettings() {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (patch: SettingsValues) => api.send<SettingsValues>('PATCH', '/settings', patch),
    onSuccess: (values) => queries.setQueryData(KEY, values),
  });
}
