import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type Api, ApiError, useApi } from '../api/api.js';
import type { LogEntry, LogsPage } from './entry.js';
import { apiQuery, type LogFilter } from './filter.js';

/** One page of the filtered log: the newest when `cursor` is undefined. */
export function useLogPage(filter: LogFilter, cursor: string | undefined) {
  const api = useApi();
  const query = { ...apiQuery(filter), cursor };
  return useQuery({
    queryKey: ['logs', query],
    queryFn: () => api.get<LogsPage>('/logs', query),
    // The page shown stays until the next one is there: no flash of "Loading" while paging.
    placeholderData: keepPreviousData,
    // A refused filter stays refused: asking again only delays its message.
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 1,
  });
}

/**
 * Every entry of the filter, following `next_cursor` 100 at a time, up to `limit`: `cut` says
 * there were more. `progress` hears the count after each page.
 */
export async function allEntries(
  api: Api,
  query: Record<string, string | undefined>,
  limit: number,
  progress: (count: number) => void = () => undefined,
): Promise<{ entries: LogEntry[]; cut: boolean }> {
  const entries: LogEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<LogsPage>('/logs', { ...query, per_page: String(Math.min(100, limit - entries.length + 1)), cursor });
    entries.push(...page.entries);
    cursor = page.next_cursor ?? undefined;
    progress(Math.min(entries.length, limit));
  } while (cursor && entries.length <= limit);
  return { entries: entries.slice(0, limit), cut: entries.length > limit };
}
