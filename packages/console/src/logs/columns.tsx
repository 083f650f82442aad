import { createColumnHelper } from '@tanstack/react-table';
import { deviceText } from '../ui/device.js';
import type { LogEntry } from './entry.js';
import { utcText } from './filter.js';

const column = createColumnHelper<LogEntry>();

/** The log table's columns. Every value is a React child or a `title`: text, never markup. */
export const COLUMNS = [
  column.accessor('occurred_at', {
    header: 'Time (UTC)',
    cell: ({ getValue }) => (
      <time dateTime={getValue()} title={new Date(getValue()).toLocaleString()}>
        {utcText(getValue())}
      </time>
    ),
  }),
  column.accessor('event', { header: 'Event', cell: ({ getValue }) => <code>{getValue()}</code> }),
  column.accessor('outcome', {
    header: 'Outcome',
    cell: ({ getValue }) => <span className={`outcome outcome-${getValue()}`}>{getValue()}</span>,
  }),
  column.display({
    id: 'user',
    header: 'User',
    cell: ({ row: { original: e } }) =>
      e.user_login !== null ? (
        <>
          {e.user_login}
          {e.user_id !== null && <span className="muted"> #{e.user_id}</span>}
        </>
      ) : e.user_id !== null ? (
        `#${e.user_id}`
      ) : (
        <span className="muted">none</span>
      ),
  }),
  column.accessor('ip', { header: 'IP', cell: ({ getValue }) => getValue() ?? <span className="muted">none</span> }),
  column.display({
    id: 'device',
    header: 'Device',
    // The raw User-Agent is a tooltip and a detail, as text.
    cell: ({ row: { original: e } }) => <span title={e.user_agent ?? undefined}>{deviceText(e.device)}</span>,
  }),
  column.display({
    id: 'details',
    header: 'Details',
    cell: ({ row: { original: e } }) => (
      <details className="log-details">
        <summary>More</summary>
        <dl>
          <dt>User agent</dt>
          <dd>{e.user_agent ?? 'none'}</dd>
          <dt>Trace id</dt>
          <dd>{e.trace_id ?? 'none'}</dd>
          <dt>Event id</dt>
          <dd>{e.id}</dd>
          <dt>Data</dt>
          <dd>
            <pre>{JSON.stringify(e.data, null, 2)}</pre>
          </dd>
        </dl>
      </details>
    ),
  }),
];
