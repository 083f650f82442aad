import { createColumnHelper } from '@tanstack/react-table';
import { useRef } from 'react';
import { DataTable } from '../ui/DataTable.js';
import { deviceText } from '../ui/device.js';
import { InlineConfirm } from '../ui/InlineConfirm.js';
import { When } from './format.js';
import { type SessionView, useUserChange, useUserSessions } from './queries.js';
import type { Announce } from './UserPage.js';

const column = createColumnHelper<SessionView>();

/** The user's live sessions (devices), each with "End session", and "End all sessions". */
export function SessionsPanel({ userId, announce }: { userId: number; announce: Announce }) {
  const sessions = useUserSessions(userId);
  const endOne = useUserChange((api, id: string) => api.send<{ ended: boolean }>('DELETE', `/users/${userId}/sessions/${id}`));
  const endAll = useUserChange((api) => api.send<{ ended: number }>('DELETE', `/users/${userId}/sessions`));
  // The row (or every row) whose button was pressed goes away: the keyboard stays in this section.
  const heading = useRef<HTMLHeadingElement>(null);
  const done = (text: string) => {
    announce(text);
    heading.current?.focus();
  };

  const columns = [
    column.accessor('device', { header: 'Device' }),
    column.display({
      id: 'browser',
      header: 'Browser / OS',
      cell: ({ row: { original: s } }) => deviceText({ browser: s.browser, os: s.os, type: s.device_type }),
    }),
    column.accessor('ip', { header: 'Address' }),
    column.accessor('created', { header: 'Signed in', cell: (info) => <When at={info.getValue()} /> }),
    column.accessor('last_seen', { header: 'Last seen', cell: (info) => <When at={info.getValue()} /> }),
    column.display({
      id: 'end',
      header: 'Action',
      cell: (info) => (
        <InlineConfirm
          label="End session"
          question={
            <>
              <strong>End this session?</strong> The device “{info.row.original.device}” is signed out: its tokens stop working now.
            </>
          }
          confirmLabel="End session"
          onConfirm={() =>
            endOne.mutateAsync(info.row.original.id).then(
              () => done('Session ended: its tokens no longer work.'),
              (error: Error) => announce(`Session not ended: ${error.message}`, true),
            )
          }
        />
      ),
    }),
  ];

  const rows = sessions.data ?? [];
  return (
    <section aria-labelledby="sessions-heading" className="panel">
      <h2 id="sessions-heading" tabIndex={-1} ref={heading}>
        Sessions
      </h2>
      {sessions.isError && <p className="error">The sessions could not be read: {sessions.error.message}</p>}
      <DataTable
        caption="Live sessions, most recently seen first"
        columns={columns}
        rows={rows}
        rowKey={(s) => s.id}
        empty={sessions.isPending ? 'Loading…' : 'No live sessions.'}
      />
      {rows.length > 0 && (
        <InlineConfirm
          label="End all sessions"
          question={
            <>
              <strong>End every session of this user?</strong> Every device of theirs is signed out: their tokens stop working now.
            </>
          }
          confirmLabel="End all sessions"
          disabled={endAll.isPending}
          onConfirm={() =>
            endAll.mutateAsync(undefined).then(
              ({ ended }) => done(`${ended} ${ended === 1 ? 'session' : 'sessions'} ended.`),
              (error: Error) => announce(`Sessions not ended: ${error.message}`, true),
            )
          }
        />
      )}
    </section>
  );
}
