/** A moment the API answered (ISO 8601), in the reader's locale, machine-readable too. */
export function When({ at }: { at: string | null }) {
  if (!at) return <>never</>;
  return <time dateTime={at}>{new Date(at).toLocaleString()}</time>;
}
