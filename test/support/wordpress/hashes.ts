import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./hash-passwords.php', import.meta.url));

/** How a WordPress site may have hashed a password (see hash-passwords.php). */
export type PhpScheme = 'phpass' | 'wp-bcrypt' | 'bcrypt-2y' | 'bcrypt-2a' | 'bcrypt-2b' | 'md5' | 'slashed';

export interface HashRequest {
  password: string;
  scheme: PhpScheme;
  /** bcrypt's cost (default 10; the cheapest, 4, where speed matters). */
  cost?: number;
}

/** The hashes PHP makes with WordPress's own code, in the order asked: one `php` run for all. */
export function phpHashes(requests: readonly HashRequest[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile('php', [SCRIPT], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`php failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as string[]);
    });
    child.stdin?.end(JSON.stringify(requests));
  });
}
