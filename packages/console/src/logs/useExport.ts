import { useState } from 'react';
import { ApiError, useApi } from '../api/api.js';
import { logCsv } from './csv.js';
import { apiQuery, type LogFilter } from './filter.js';
import { allEntries } from './queries.js';

/** An export is bounded: a browser tab holds it whole, and a spreadsheet opens it. */
export const MAX_EXPORT = 10_000;

/** Exports every page of the filter as a CSV file; `status` says how it went, in words. */
export function useExport(filter: LogFilter) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

  async function run() {
    setBusy(true);
    setStatus('Exporting…');
    try {
      const { entries, cut } = await allEntries(api, apiQuery(filter), MAX_EXPORT, (n) => setStatus(`Exporting… ${n} entries so far.`));
      download(logCsv(entries), `headlesskey-log-${new Date().toISOString().slice(0, 19).replaceAll(':', '-')}Z.csv`);
      setStatus(
        cut
          ? `Exported the newest ${MAX_EXPORT.toLocaleString('en')} entries: the filter matches more. Narrow it (for instance with “To”) to export the rest.`
          : `Exported ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}.`,
      );
    } catch (err) {
      setStatus(`The export failed: ${err instanceof ApiError ? err.message : 'the log could not be read.'}`);
    } finally {
      setBusy(false);
    }
  }
  return { run, busy, status };
}

/** Saves `csv` as a file through a link to a Blob; a byte order mark tells spreadsheets it is UTF-8. */
function download(csv: string, name: string) {
  const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the Blob can go once it has been read.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
