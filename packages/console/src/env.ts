/**
 * Where the console is and whom it talks to, read off the page the gateway served: the REST base
 * from the `headlesskey-api` meta tag (the gateway writes its namespace there) on this origin only,
 * and the console's own path as the folder above its scripts (`/admin/assets/x.js` → `/admin`).
 */
export function apiUrl(): string {
  const path = document.querySelector<HTMLMetaElement>('meta[name="headlesskey-api"]')?.content || '/wp-json/headlesskey/v1';
  // A path only: the console never calls another origin.
  return new URL(path.startsWith('/') ? path : `/${path}`, window.location.origin).href.replace(/\/$/, '');
}

export function consoleBase(): string {
  return new URL(/* @vite-ignore */ '..', import.meta.url).pathname.replace(/\/$/, '');
}
