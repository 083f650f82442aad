import type { ColumnDef } from '@tanstack/react-table';
import { DataTable } from '../ui/DataTable.js';
import type { FailingEndpoint, WebhookStats } from './queries.js';

export interface Figure {
  label: string;
  /** The number, or why there is none (loading, or the API's refusal). */
  value: number | string;
  note?: string;
}

/** Headline figures as a description list: each label read with its number. */
export function Figures({ figures }: { figures: readonly Figure[] }) {
  return (
    <dl className="figures">
      {figures.map((f) => (
        <div key={f.label} className="figure">
          <dt>{f.label}</dt>
          <dd>
            <span className={typeof f.value === 'number' ? 'number' : 'pending'}>{f.value}</span>
            {f.note && <span className="note">{f.note}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

const attemptText = (e: FailingEndpoint) => {
  if (e.disabled_reason === 'gone') return 'Answered 410 Gone: disabled';
  if (e.last_status_code !== null) return `HTTP ${e.last_status_code}`;
  return e.last_error ?? 'No answer';
};

const COLUMNS: ColumnDef<FailingEndpoint>[] = [
  // The URL is the administrator's own input: text, never a link.
  { header: 'Endpoint', id: 'url', cell: ({ row }) => <EndpointName endpoint={row.original} /> },
  { header: 'Latest attempt', id: 'attempt', cell: ({ row }) => attemptText(row.original) },
  {
    header: 'When',
    id: 'when',
    cell: ({ row }) => (row.original.last_attempt_at ? new Date(row.original.last_attempt_at).toLocaleString() : '—'),
  },
  { header: 'Retrying', accessorKey: 'retrying' },
  { header: 'Given up', accessorKey: 'dead' },
];

function EndpointName({ endpoint }: { endpoint: FailingEndpoint }) {
  return (
    <>
      <span className="url">{endpoint.url}</span>
      {endpoint.description && <span className="note">{endpoint.description}</span>}
    </>
  );
}

/** The endpoints whose latest delivery attempt failed, or that answered 410 and were disabled. */
export function FailingEndpoints({ stats }: { stats: WebhookStats }) {
  return (
    <DataTable
      caption="Failing webhook endpoints"
      columns={COLUMNS}
      rows={stats.failing}
      empty={stats.endpoints === 0 ? 'No webhook endpoint is set up.' : "Every endpoint's latest delivery succeeded."}
      rowKey={(e) => e.id}
    />
  );
}
