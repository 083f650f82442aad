import { useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/api.js';
import { type LogEntry, merged } from './entry.js';
import { apiQuery, FILTER_FIELDS, type LogFilter } from './filter.js';
import { useLogPage } from './queries.js';
import { useLive } from './useLive.js';

/** Entries live mode keeps above the first page before the oldest of them are let go. */
const MAX_FRESH = 1000;
const NONE: LogEntry[] = [];

/**
 * The rows on screen for a filter: a page of it, found by a stack of the cursors that led there
 * (Previous pops one), and in live mode the entries that arrived since, on top of the first page.
 * Paging state belongs to a filter (`search`): another filter starts at its first page.
 */
export function useLogView(filter: LogFilter, search: string) {
  const [paging, setPaging] = useState({ search, stack: [] as string[] });
  const stack = paging.search === search ? paging.stack : [];
  const page = useLogPage(filter, stack.at(-1));
  const [liveOn, setLiveOn] = useState(false);
  const [fresh, setFresh] = useState({ search, entries: [] as LogEntry[], total: 0 });
  const [news, setNews] = useState('');
  const [liveError, setLiveError] = useState<string>();

  const firstPage = stack.length === 0;
  const freshEntries = fresh.search === search && firstPage ? fresh.entries : NONE;
  const rows = useMemo(() => merged(freshEntries, page.data?.entries ?? []), [freshEntries, page.data]);
  const shown = useRef(rows);
  shown.current = rows;

  useLive(
    liveOn && firstPage && !page.isPlaceholderData && page.isSuccess,
    apiQuery(filter),
    rows[0]?.occurred_at,
    (entries) => {
      const ids = new Set(shown.current.map((e) => e.id));
      const arrived = entries.filter((e) => !ids.has(e.id));
      if (arrived.length === 0) return;
      const total = (fresh.search === search ? fresh.total : 0) + arrived.length;
      setFresh({ search, entries: [...arrived, ...freshEntries].slice(0, MAX_FRESH), total });
      setNews(`${arrived.length} new ${arrived.length === 1 ? 'entry' : 'entries'} (${total} since live mode began).`);
    },
    setLiveError,
  );

  const problems = useMemo(() => fieldProblems(page.error), [page.error]);
  const to = (next: string[]) => setPaging({ search, stack: next });
  return {
    page,
    rows,
    pageNumber: stack.length + 1,
    problems,
    /** The API's message when it is not about one filter field. */
    error: page.error && Object.keys(problems).length === 0 ? page.error.message : undefined,
    hasNext: Boolean(page.data?.next_cursor) && !page.isPlaceholderData,
    next() {
      if (!page.data?.next_cursor) return;
      // Live mode shows the newest entries: reading older ones ends it.
      if (liveOn) setLive(false);
      to([...stack, page.data.next_cursor]);
    },
    previous: () => to(stack.slice(0, -1)),
    live: liveOn,
    setLive,
    news: liveError ? `Live mode could not read the log: ${liveError}` : news,
  };

  function setLive(on: boolean) {
    setLiveOn(on);
    setLiveError(undefined);
    setFresh({ search, entries: on ? freshEntries : [], total: 0 });
    if (on) to([]);
    setNews(on ? 'Live mode on: new entries appear at the top.' : 'Live mode off.');
  }
}

/** `rest_invalid_param`'s params that name a filter field, by field. */
function fieldProblems(error: Error | null): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== 'rest_invalid_param') return {};
  const params = error.params && typeof error.params === 'object' && !Array.isArray(error.params) ? error.params : {};
  return Object.fromEntries(
    Object.entries(params).filter(([name, text]) => (FILTER_FIELDS as readonly string[]).includes(name) && typeof text === 'string'),
  );
}
