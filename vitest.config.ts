import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/helpers/fresh-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests start servers and worker threads: keep the 2-core CI machine from thrashing.
    maxWorkers: 2,
  },
});
