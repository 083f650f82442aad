import { useEffect, useRef } from 'react';
import { ApiError, useApi } from '../api/api.js';
import type { LogEntry } from './entry.js';
import { allEntries } from './queries.js';

const EVERY_MS = 2000;
/**
 * How far before the newest entry shown each poll looks again. Services stamp their events when
 * they happen, and the log projects them as they arrive: an entry can land a little after a
 * newer one from another service. Entries seen twice are dropped by id.
 */
const OVERLAP_MS = 30_000;
/** A burst past this many in one poll is cut; the pages below still hold it. */
const MAX_PER_POLL = 500;

/**
 * While `enabled`, asks every 2 s for the entries of `query` since the newest one shown and hands
 * them to `onEntries`. Stops when disabled or unmounted (leaving the screen); one poll at a time.
 */
export function useLive(
  enabled: boolean,
  query: Record<string, string | undefined>,
  newest: string | undefined,
  onEntries: (entries: LogEntry[]) => void,
  onError: (message: string | undefined) => void,
) {
  const api = useApi();
  // The poll reads the latest of these without restarting.
  const latest = useRef({ newest, onEntries, onError, api });
  latest.current = { newest, onEntries, onError, api };
  const key = JSON.stringify(query);

  useEffect(() => {
    if (!enabled) return;
    const filter = JSON.parse(key) as Record<string, string | undefined>;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const { newest: shown, api: client } = latest.current;
      const since = shown ? new Date(Date.parse(shown) - OVERLAP_MS).toISOString() : undefined;
      // The filter's own `since` still holds when it is later.
      const from = filter.since && (!since || Date.parse(filter.since) > Date.parse(since)) ? filter.since : since;
      try {
        const { entries } = await allEntries(client, { ...filter, since: from }, MAX_PER_POLL);
        if (!stopped) {
          latest.current.onError(undefined);
          latest.current.onEntries(entries);
        }
      } catch (err) {
        if (!stopped) latest.current.onError(err instanceof ApiError ? err.message : 'The log could not be read.');
      }
      if (!stopped) timer = setTimeout(poll, EVERY_MS);
    };
    timer = setTimeout(poll, EVERY_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [enabled, key]);
}
