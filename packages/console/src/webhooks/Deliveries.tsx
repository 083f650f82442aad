import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { DataTable } from '../ui/DataTable.js';
import { When } from '../ui/When.js';
import { type Delivery, useDeliveries, useRedeliver } from './queries.js';

const column = createColumnHelper<Delivery>();

/** The endpoint's delivery log, newest first, followed live on its first page; any delivery can be sent again. */
export function Deliveries({ webhookId }: { webhookId: string }) {
  // The cursors of the pages before this one: "Newer" goes back along them.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useDeliveries(webhookId, cursor);
  const redeliver = useRedeliver(webhookId);
  const columns = [
    column.accessor('event_type', { header: 'Event', cell: (c) => <code>{c.getValue()}</code> }),
    column.accessor('attempts', { header: 'Attempts', cell: (c) => c.getValue() }),
    column.accessor('status', { header: 'Status', cell: (c) => c.getValue() }),
    column.accessor('last_status_code', {
      header: 'Response code',
      // No status line: why not (refused, timed out), as the service wrote it.
      cell: (c) => c.getValue() ?? c.row.original.last_error ?? '—',
    }),
    column.accessor('created_at', { header: 'When', cell: (c) => <When at={c.getValue()} /> }),
    column.display({
      id: 'redeliver',
      header: 'Action',
      cell: (c) => (
        <button
          type="button"
          className="secondary"
          disabled={redeliver.isPending}
          aria-label={`Redeliver ${c.row.original.event_type} of ${new Date(c.row.original.created_at).toLocaleString()}`}
          onClick={() => redeliver.mutate(c.row.original.id)}
        >
          Redeliver
        </button>
      ),
    }),
  ];

  return (
    <section aria-labelledby="deliveries" className="deliveries">
      <h2 id="deliveries">Deliveries</h2>
      <div aria-live="polite">
        {redeliver.isSuccess && <p className="ok">Queued again: it is sent at once, under the same webhook-id.</p>}
        {redeliver.error && <p className="error">{redeliver.error.message}</p>}
      </div>
      {page.isPending && <p>Loading the deliveries…</p>}
      {page.isError && <p className="error">The deliveries could not be read: {page.error.message}</p>}
      {page.data && (
        <DataTable
          caption="Deliveries, newest first"
          columns={columns}
          rows={page.data.deliveries}
          rowKey={(d) => d.id}
          empty="No delivery yet: send a test event."
        />
      )}
      <div className="pager">
        <button type="button" className="secondary" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!page.data?.next_cursor}
          onClick={() => page.data?.next_cursor && setCursors([...cursors, page.data.next_cursor])}
        >
          Older
        </button>
      </div>
    </section>
  );
}
