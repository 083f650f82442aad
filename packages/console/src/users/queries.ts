import type { auditCommands, identityCommands, tokensCommands } from '@headlesskey/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Api, useApi } from '../api/api.js';

/** The shapes the API answers, read off the contracts' schemas (types only: no TypeBox in the bundle). */
export type UsersPage = (typeof identityCommands.listUsers.reply)['static'];
export type ManagedUser = UsersPage['users'][number];
export type UserDetail = (typeof identityCommands.getManagedUser.reply)['static'];
export type SessionView = (typeof tokensCommands.listSessions.reply)['static']['sessions'][number];
export type ActivityEntryView = auditCommands.ActivityEntryView;
type LogsPage = auditCommands.LogsPage;

/** Every query of this screen is under `users`: a change to a user refetches all of them. */
const KEY = 'users';

export interface ListQuery {
  search?: string;
  cursor?: string;
}

export const PAGE_SIZE = 25;

/** `GET /users`: newest first, a page at a time; the page shown stays while the next one loads. */
export function useUserList(query: ListQuery) {
  const api = useApi();
  return useQuery({
    queryKey: [KEY, 'list', query],
    queryFn: () => api.get<UsersPage>('/users', { ...query, per_page: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
}

export function useUser(id: number) {
  const api = useApi();
  return useQuery({ queryKey: [KEY, id], queryFn: () => api.get<UserDetail>(`/users/${id}`) });
}

export function useUserSessions(id: number) {
  const api = useApi();
  return useQuery({
    queryKey: [KEY, id, 'sessions'],
    queryFn: async () => (await api.get<{ sessions: SessionView[] }>(`/users/${id}/sessions`)).sessions,
  });
}

export const ACTIVITY_SIZE = 20;

/** The user's newest activity-log entries. */
export function useUserActivity(id: number) {
  const api = useApi();
  return useQuery({
    queryKey: [KEY, id, 'activity'],
    queryFn: async () => (await api.get<LogsPage>('/logs', { user: id, per_page: ACTIVITY_SIZE })).entries,
  });
}

/** A change to a user through `run`; afterwards every view of users is read again. */
export function useUserChange<Input, Output>(run: (api: Api, input: Input) => Promise<Output>) {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (input: Input) => run(api, input),
    onSettled: () => queries.invalidateQueries({ queryKey: [KEY] }),
  });
}
