import { capabilitiesOf, type WordPressRow } from './database.js';
import { type HashRequest, type PhpScheme, phpHashes } from './hashes.js';

/** A user of the test site: its row, the password it was hashed from, and what the import should answer. */
export interface SiteUser {
  row: WordPressRow;
  password: string;
  scheme: PhpScheme;
  /** `imported`, or the reason it is refused. */
  expected: string;
}

const PASSWORDS = {
  plain: 'correct horse battery staple',
  unicode: 'pässwörd 日本語 🔑',
  long: `a long one ${'x'.repeat(80)} with its end past byte 72`,
  spaced: '  spaced out  ',
  quoted: `it's "quoted" \\ too`,
};

/** A special user: hashed on its own by PHP. */
interface Special {
  id: number;
  login: string;
  email?: string;
  roles?: string[] | null;
  scheme?: PhpScheme;
  password?: string;
  capabilities?: string | null;
  pass?: string;
  registered?: string;
  expected?: string;
}

/**
 * The site: one user per hash scheme and role (an administrator among them), odd logins and the
 * edge cases the import must refuse, then `fillers` members sharing one phpass hash with about
 * 1 % corrupt rows (unreadable capabilities, unknown hash). `takenId` is an ID another login
 * already holds at HeadlessKey.
 */
export async function testSite(takenId: number, fillers: number): Promise<SiteUser[]> {
  const specials: Special[] = [
    { id: takenId, login: 'wp_admin_clash', roles: ['administrator'], expected: 'id_taken' },
    { id: 2, login: 'site_owner', roles: ['administrator'], scheme: 'wp-bcrypt', password: PASSWORDS.unicode },
    { id: 3, login: 'ed_phpass', roles: ['editor'], scheme: 'phpass' },
    { id: 4, login: 'ada lovelace', roles: ['subscriber'], scheme: 'phpass', password: PASSWORDS.spaced },
    { id: 5, login: '山田taro', roles: ['author'], scheme: 'bcrypt-2y', password: PASSWORDS.unicode },
    { id: 6, login: 'long_2a', roles: ['contributor'], scheme: 'bcrypt-2a', password: PASSWORDS.long },
    { id: 7, login: 'old_2b', scheme: 'bcrypt-2b' },
    { id: 8, login: 'legacy_md5', scheme: 'md5', registered: '0000-00-00 00:00:00' },
    { id: 9, login: 'quoted', scheme: 'slashed', password: PASSWORDS.quoted },
    { id: 10, login: 'shopper', roles: ['shop_manager', 'customer_capability'], scheme: 'phpass' },
    { id: 11, login: 'no_role', capabilities: null, scheme: 'wp-bcrypt', password: PASSWORDS.long },
    { id: 12, login: 'same@example.com', email: 'same@example.com', scheme: 'phpass' },
    { id: 13, login: 'dup_first', email: 'dup@example.com', scheme: 'phpass' },
    { id: 14, login: 'dup_second', email: 'DUP@example.com', expected: 'duplicate_email' },
    { id: 15, login: 'dup_third', email: 'dup@example.com', expected: 'duplicate_email' },
    { id: 16, login: 'pаypal', expected: 'invalid_login' }, // a Cyrillic а among Latin letters
    { id: 17, login: '   ', expected: 'invalid_login' },
    { id: 18, login: `too_long_${'x'.repeat(60)}`, expected: 'invalid_login' },
    { id: 19, login: 'bad_caps', capabilities: 'a:1:{s:13:"administrator";b:1;', expected: 'unreadable_roles' },
    { id: 20, login: 'argon_user', pass: '$argon2id$v=19$m=65536,t=4,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo', expected: 'unknown_hash' },
  ];
  const hashed = specials.filter((s) => s.scheme);
  const requests: HashRequest[] = [
    ...hashed.map((s) => ({ password: s.password ?? PASSWORDS.plain, scheme: s.scheme as PhpScheme, cost: 4 })),
    { password: PASSWORDS.plain, scheme: 'phpass' },
  ];
  const hashes = await phpHashes(requests);
  const fillerHash = hashes.at(-1) ?? '';
  const users = specials.map((s): SiteUser => {
    const at = hashed.indexOf(s);
    const pass = s.pass ?? (at >= 0 ? (hashes[at] ?? '') : fillerHash);
    return {
      row: {
        id: s.id,
        login: s.login,
        email: s.email ?? `${s.login.replace(/\W/g, '_')}_${s.id}@example.com`,
        displayName: `WP ${s.login}`,
        pass,
        registered: s.registered ?? '2016-05-04 03:02:01',
        capabilities: s.capabilities !== undefined ? s.capabilities : capabilitiesOf(s.roles ?? ['subscriber']),
      },
      password: s.password ?? PASSWORDS.plain,
      scheme: s.scheme ?? 'phpass',
      expected: s.expected ?? 'imported',
    };
  });
  for (let i = 0; i < fillers; i++) {
    const id = 100 + i;
    // About one in a hundred is corrupt, as a site's old rows are.
    const corrupt = i % 100 === 50 ? (i % 200 === 50 ? 'unreadable_roles' : 'unknown_hash') : undefined;
    users.push({
      row: {
        id,
        login: `member_${id}`,
        email: `member_${id}@example.com`,
        displayName: `Member ${id}`,
        pass: corrupt === 'unknown_hash' ? '!disabled-by-plugin' : fillerHash,
        registered: '2019-01-02 03:04:05',
        capabilities: corrupt === 'unreadable_roles' ? 'a:1:{s:6:"editor"' : capabilitiesOf(['subscriber']),
      },
      password: PASSWORDS.plain,
      scheme: 'phpass',
      expected: corrupt ?? 'imported',
    });
  }
  return users;
}
