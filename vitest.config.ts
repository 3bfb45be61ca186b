import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'web/test/**/*.test.ts', 'services/*/test/unit/**/*.test.ts', 'gateway/test/**/*.test.ts', 'workflows/test/unit/**/*.test.ts', 'deploy/test/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'workflows',
          setupFiles: ['workflows/test/setup.ts'],
          include: ['workflows/test/**/*.test.ts', 'services/*/test/workflows/**/*.test.ts'],
          exclude: ['workflows/test/unit/**', '**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
