/**
 * Fills the configured reset page with the user's login and key, each URL-encoded. The base
 * always comes from configuration, never from the request's Host header, so nobody can have a
 * real key mailed inside a link to their own site.
 */
export function resetUrl(template: string, login: string, key: string): string {
  return template.replaceAll('{login}', encodeURIComponent(login)).replaceAll('{key}', encodeURIComponent(key));
}
