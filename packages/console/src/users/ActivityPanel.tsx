import { createColumnHelper } from '@tanstack/react-table';
import { DataTable } from '../ui/DataTable.js';
import { deviceText } from '../ui/device.js';
import { When } from './format.js';
import { ACTIVITY_SIZE, type ActivityEntryView, useUserActivity } from './queries.js';

const column = createColumnHelper<ActivityEntryView>();

const COLUMNS = [
  column.accessor('occurred_at', { header: 'When', cell: (info) => <When at={info.getValue()} /> }),
  column.accessor('event', { header: 'Event' }),
  column.accessor('outcome', { header: 'Outcome' }),
  column.accessor('ip', { header: 'Address', cell: (info) => info.getValue() ?? '—' }),
  column.accessor('device', { header: 'Device', cell: (info) => deviceText(info.getValue()) }),
];

/** The user's newest activity-log entries; the log is projected from events, so it can be read again. */
export function ActivityPanel({ userId }: { userId: number }) {
  const activity = useUserActivity(userId);
  return (
    <section aria-labelledby="activity-heading" className="panel">
      <div className="panel-head">
        <h2 id="activity-heading">Recent activity</h2>
        <button type="button" className="secondary" disabled={activity.isFetching} onClick={() => void activity.refetch()}>
          {activity.isFetching ? 'Refreshing…' : 'Refresh activity'}
        </button>
      </div>
      {activity.isError && <p className="error">The activity could not be read: {activity.error.message}</p>}
      <DataTable
        caption={`The user's ${ACTIVITY_SIZE} newest activity-log entries, newest first`}
        columns={COLUMNS}
        rows={activity.data ?? []}
        rowKey={(entry) => entry.id}
        empty={activity.isPending ? 'Loading…' : 'No activity in the log.'}
      />
    </section>
  );
}
