import { defineConfig } from 'vitest/config';
import { LongFirstSequencer } from './test/helpers/long-first-sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/helpers/fresh-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests start servers and worker threads: keep the 2-core CI machine from thrashing.
    maxWorkers: 2,
    // The longest files first, so the two workers finish together (test/helpers/long-first-sequencer.ts).
    sequence: { sequencer: LongFirstSequencer },
  },
});
