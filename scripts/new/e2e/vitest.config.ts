import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

process.env.WRANGLER_SEND_METRICS = 'false';

/**
 * `npm run test:scaffold`: the slow end-to-end check of `npm run new` (a copy's whole `npm test`),
 * kept out of `npm test` and run by CI as its own step.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['scripts/new/e2e/**/*.test.ts'],
    // One file, in order: each test builds on the copy the one before left.
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
