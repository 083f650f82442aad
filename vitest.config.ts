import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'infra/*/src/**/*.test.ts',
      'tools/*/src/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // The fault suite runs apart: `npm run test:faults`.
    exclude: ['**/node_modules/**', '**/dist/**', 'test/faults/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Black-box files each start a whole system; two cores do not take more at once.
    maxWorkers: 2,
    pool: 'forks',
  },
});
