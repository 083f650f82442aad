import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { backendUrls } from './instance.js';

const ADMIN = fileURLToPath(new URL('../../tools/admin/dist/main.js', import.meta.url));

/** `npm run admin -- …`, as an operator runs it against the test's servers (and `env`'s instance, if given). */
export async function admin(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { databaseUrl, natsUrl } = backendUrls();
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [ADMIN, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, NATS_URL: natsUrl, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
