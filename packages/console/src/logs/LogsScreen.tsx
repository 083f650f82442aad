import { DataTable } from '../ui/DataTable.js';
import { COLUMNS } from './columns.js';
import { Filters } from './Filters.js';
import { useExport } from './useExport.js';
import { useLogView } from './useLogView.js';
import { useUrlFilter } from './useUrlFilter.js';
import '../ui/buttons.css';
import './logs.css';

/** The plugin's Logs screen: the activity log, filtered (in the URL), paged, live, exported. */
export function LogsScreen() {
  const { filter, search, apply } = useUrlFilter();
  const view = useLogView(filter, search);
  const csv = useExport(filter);
  const { page } = view;

  return (
    <div className="logs">
      <h1>Activity log</h1>
      <Filters filter={filter} problems={view.problems} onApply={apply} />
      <div className="log-toolbar">
        <label className="log-live">
          <input type="checkbox" checked={view.live} onChange={(e) => view.setLive(e.target.checked)} /> Live mode
        </label>
        <p className="log-news" role="status">
          {view.news}
        </p>
        <button type="button" onClick={() => csv.busy || void csv.run()} aria-disabled={csv.busy}>
          {csv.busy ? 'Exporting…' : 'Export CSV'}
        </button>
        <p className="log-news log-export-news" role="status">
          {csv.status}
        </p>
      </div>
      {view.error && (
        <p className="error" role="alert">
          The log could not be read: {view.error}
        </p>
      )}
      {Object.keys(view.problems).length > 0 && (
        <p className="error" role="alert">
          The filter was refused: see the fields marked.
        </p>
      )}
      <DataTable
        caption={`Activity log, newest first, page ${view.pageNumber}`}
        columns={COLUMNS}
        rows={view.rows}
        rowKey={(entry) => entry.id}
        empty={page.isPending ? 'Loading the log…' : page.isError ? 'Nothing to show.' : 'No entries match the filter.'}
      />
      <nav className="log-pager" aria-label="Pages">
        <Pager label="Previous page" enabled={view.pageNumber > 1} onClick={view.previous} />
        <span aria-live="polite">
          Page {view.pageNumber}
          {page.isFetching && !view.live ? ' (loading…)' : ''}
        </span>
        <Pager label="Next page" enabled={view.hasNext} onClick={view.next} />
      </nav>
    </div>
  );
}

/** A paging button: `aria-disabled` rather than `disabled`, so the keyboard's focus stays on it. */
function Pager({ label, enabled, onClick }: { label: string; enabled: boolean; onClick(): void }) {
  return (
    <button type="button" aria-disabled={!enabled} onClick={() => enabled && onClick()}>
      {label}
    </button>
  );
}

export default LogsScreen;
