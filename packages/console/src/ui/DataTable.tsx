import { type ColumnDef, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import './data-table.css';

/**
 * A table of rows the API answered, built with TanStack Table: a caption for screen readers,
 * column headers with `scope`, and a line in words when there is nothing to show. Cells render
 * what they are given as React children, so user-controlled text stays text.
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  empty,
  rowKey,
}: {
  caption: string;
  // biome-ignore lint/suspicious/noExplicitAny: TanStack's column value types differ per column.
  columns: ColumnDef<Row, any>[];
  rows: Row[];
  empty: ReactNode;
  rowKey: (row: Row) => string;
}) {
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: rowKey });
  return (
    <div className="table-scroll">
      <table className="data">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
