import { createColumnHelper } from '@tanstack/react-table';
import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { DataTable } from '../ui/DataTable.js';
import { type ManagedUser, PAGE_SIZE, useUserList } from './queries.js';

const column = createColumnHelper<ManagedUser>();

const COLUMNS = [
  column.accessor('user_login', {
    header: 'Login',
    // A link by id: the login is shown as text, never put into the address.
    cell: (info) => <Link href={`/${info.row.original.ID}`}>{info.getValue()}</Link>,
  }),
  column.accessor('user_email', { header: 'Email' }),
  column.accessor('display_name', { header: 'Display name' }),
  column.accessor('roles', { header: 'Roles', cell: (info) => info.getValue().join(', ') }),
  column.accessor('status', { header: 'Status' }),
];

/** `GET /users`, searched by the start of a login, email or name, and paged by the API's cursor. */
export function UserList() {
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  // The cursors of the pages before this one, for going back: the API's cursor only goes on.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const list = useUserList({ search: search || undefined, cursor });

  function submit(event: FormEvent) {
    event.preventDefault();
    setSearch(typed.trim());
    setCursors([undefined]);
  }

  const users = list.data?.users ?? [];
  const next = list.data?.next_cursor ?? null;
  const first = (cursors.length - 1) * PAGE_SIZE + 1;
  const matching = search ? ` matching “${search}”` : '';
  /** What the table shows, in words, for screen readers as the page or the search changes. */
  const summary = () => {
    if (list.isError) return `The users could not be read: ${list.error.message}`;
    // The page before stays in the table until the one asked for comes.
    if (list.isPending || list.isPlaceholderData) return 'Loading users…';
    if (users.length === 0) return search ? `No user's login, email or name starts with “${search}”.` : 'No users.';
    return `Users ${first}–${first + users.length - 1}${matching}.`;
  };
  return (
    <>
      <h1>Users</h1>
      <search>
        <form className="user-search" onSubmit={submit}>
          <label htmlFor="user-search">Search by login, email or name</label>
          <input id="user-search" type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
          <button type="submit">Search</button>
        </form>
      </search>
      <p role="status" className={list.isError ? 'error' : undefined}>
        {summary()}
      </p>
      <DataTable
        caption="Users, newest first"
        columns={COLUMNS}
        rows={users}
        rowKey={(user) => String(user.ID)}
        empty={list.isPending ? 'Loading…' : 'No users to show.'}
      />
      <nav aria-label="Pages of users" className="pager">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors((all) => all.slice(0, -1))}>
          Previous page
        </button>
        <button
          type="button"
          disabled={next === null || list.isPlaceholderData}
          onClick={() => setCursors((all) => [...all, next ?? undefined])}
        >
          Next page
        </button>
      </nav>
    </>
  );
}
