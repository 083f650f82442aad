import type { ColumnDef } from '@tanstack/react-table';
import { DataTable } from '../ui/DataTable.js';
import type { LogStats, Range, SignInHour } from './queries.js';
import { SignInChart } from './SignInChart.js';

export const RANGES: readonly { value: Range; label: string }[] = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
];
export const rangeLabel = (range: Range) => RANGES.find((r) => r.value === range)!.label;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The range's figures in one sentence: what a screen reader hears for the chart. */
export function summaryOf(stats: LogStats): string {
  const t = stats.totals;
  return `${rangeLabel(stats.range)}: ${plural(t.succeeded, 'login', 'logins')} succeeded, ${t.failed} failed, ${plural(
    t.lockouts,
    'account lockout',
    'account lockouts',
  )}, ${plural(t.ip_blocks, 'IP block', 'IP blocks')}.`;
}

const hourText = (hour: string) => new Date(hour).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const COLUMNS: ColumnDef<SignInHour>[] = [
  { header: 'Hour starting', accessorFn: (h) => hourText(h.hour), id: 'hour' },
  { header: 'Succeeded', accessorKey: 'succeeded' },
  { header: 'Failed', accessorKey: 'failed' },
  { header: 'Locked', accessorKey: 'lockouts' },
  { header: 'IP blocks', accessorKey: 'ip_blocks' },
];

/** The choice of range: native radios, so arrow keys move between them as everywhere else. */
export function RangeChoice({ range, onChange }: { range: Range; onChange: (range: Range) => void }) {
  return (
    <fieldset className="range-choice">
      <legend>Range</legend>
      {RANGES.map((r) => (
        <label key={r.value}>
          <input type="radio" name="overview-range" value={r.value} checked={range === r.value} onChange={() => onChange(r.value)} />
          {r.label}
        </label>
      ))}
    </fieldset>
  );
}

/** Logins per hour: the chart, its figures in words (announced when they change), and as a table. */
export function SignIns({ stats, updating }: { stats: LogStats; updating: boolean }) {
  const summary = summaryOf(stats);
  const busy = stats.hours.filter((h) => h.succeeded + h.failed + h.lockouts + h.ip_blocks > 0).reverse();
  return (
    <>
      <SignInChart hours={stats.hours} label={`Chart of logins per hour. ${summary}`} />
      <p className="summary" aria-live="polite" aria-busy={updating}>
        {summary}
      </p>
      <details>
        <summary>Hours with sign-in activity, as a table</summary>
        <DataTable
          caption={`Sign-in events per hour, ${rangeLabel(stats.range).toLowerCase()}, newest first`}
          columns={COLUMNS}
          rows={busy}
          empty="No sign-in activity in this range."
          rowKey={(h) => h.hour}
        />
      </details>
    </>
  );
}
