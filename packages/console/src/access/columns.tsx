import type { ColumnDef } from '@tanstack/react-table';
import { createContext, useContext } from 'react';
import { RuleControl } from './RuleControl.js';
import { type AccessRule, describe, offered, ROUTE_DEFAULTS, type RuleDraft } from './rules.js';

export interface Row {
  route: string;
  /** Safe as an element id, unlike the route key. */
  id: string;
}

export const ROWS: Row[] = Object.keys(ROUTE_DEFAULTS).map((route, i) => ({ route, id: `access-${i}` }));

/** What the cells read: passed by context so the columns stay the same and no row remounts (and loses focus) on a change. */
export interface AccessTable {
  inForce: Record<string, AccessRule>;
  drafts: Record<string, RuleDraft>;
  knownRoles: readonly string[];
  problems: Record<string, string>;
  change(route: string, draft: RuleDraft): void;
}

export const AccessTableContext = createContext<AccessTable | null>(null);

function useAccessTable(): AccessTable {
  const table = useContext(AccessTableContext);
  if (!table) throw new Error('an access cell outside AccessTableContext');
  return table;
}

function InForce({ row }: { row: Row }) {
  return describe(useAccessTable().inForce[row.route]);
}

function Change({ row }: { row: Row }) {
  const { drafts, knownRoles, problems, change } = useAccessTable();
  const choices = offered(ROUTE_DEFAULTS[row.route]!, knownRoles);
  return (
    <RuleControl
      id={row.id}
      route={row.route}
      draft={drafts[row.route]!}
      kinds={choices.kinds}
      roles={choices.roles}
      problem={problems[row.route]}
      onChange={(draft) => change(row.route, draft)}
    />
  );
}

export const COLUMNS: ColumnDef<Row>[] = [
  { header: 'Route', cell: ({ row }) => <code>{row.original.route}</code> },
  { header: 'Default', cell: ({ row }) => describe(ROUTE_DEFAULTS[row.original.route]) },
  { header: 'In force', cell: ({ row }) => <InForce row={row.original} /> },
  { header: 'Change to', cell: ({ row }) => <Change row={row.original} /> },
];
