import type { ActivityEntryView } from './queries.js';

/** A moment the API answered (ISO 8601), in the reader's locale, machine-readable too. */
export function When({ at }: { at: string | null }) {
  if (!at) return <>never</>;
  return <time dateTime={at}>{new Date(at).toLocaleString()}</time>;
}

/** `Chrome 120 / Windows 10 / desktop`: what of the device the audit service could tell. */
export function deviceText(device: ActivityEntryView['device'] | undefined): string {
  if (!device) return 'unknown';
  const known = [device.browser, device.os, device.type === 'unknown' ? null : device.type].filter(Boolean);
  return known.length > 0 ? known.join(' / ') : 'unknown';
}
