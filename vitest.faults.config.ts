import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault suite (`test/faults/`), apart from `npm test`. It starts servers
 * of its own and breaks them, so it runs alone, one file at a time, bounded by these timeouts.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 360_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
