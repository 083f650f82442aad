import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { backendUrls } from './instance.js';
import type { TestSystem } from './system.js';

const CLI = fileURLToPath(new URL('../../services/audit/dist/cli.js', import.meta.url));

/** `node services/audit/dist/cli.js rebuild` against the system's instance, as an operator runs it. */
export function rebuildActivityLog(system: TestSystem): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const { databaseUrl, natsUrl } = backendUrls();
    const env = { ...process.env, HEADLESSKEY_INSTANCE: system.instance, DATABASE_URL: databaseUrl, NATS_URL: natsUrl, LOG_LEVEL: 'warn' };
    execFile(process.execPath, [CLI, 'rebuild'], { env }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
