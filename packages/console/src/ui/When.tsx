/** A moment as the browser's locale writes it, the exact one for machines. */
export function When({ at }: { at: string | null }) {
  if (!at) return <>—</>;
  return <time dateTime={at}>{new Date(at).toLocaleString()}</time>;
}
