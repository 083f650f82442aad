import { fileURLToPath } from 'node:url';

/** The monorepo's root, seen from `infra/local/dist/`. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
