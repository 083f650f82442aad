import { useMemo } from 'react';
import { useLocation, useSearch } from 'wouter';
import { filterOf, type LogFilter, searchOf } from './filter.js';

/**
 * The filter in the URL's query string: `search` is its stable text, `apply` pushes a new one
 * (a history entry, so Back returns to the previous filter).
 */
export function useUrlFilter(): { filter: LogFilter; search: string; apply(filter: LogFilter): void } {
  // wouter's search re-renders on navigation; its text is decoded once already, so the
  // query string is read from the location itself (`%25` stays a `%`, `%2B` a `+`).
  useSearch();
  const raw = window.location.search;
  const [, navigate] = useLocation();
  const filter = useMemo(() => filterOf(raw), [raw]);
  const search = useMemo(() => searchOf(filter), [filter]);
  return {
    filter,
    search,
    apply: (next) => {
      const text = searchOf(next);
      if (text !== search) navigate(text ? `?${text}` : '');
    },
  };
}
