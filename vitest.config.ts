import { defineConfig } from 'vitest/config';

process.env.WRANGLER_SEND_METRICS = 'false';

export default defineConfig({
  test: {
    // Type-level tests (*.test-d.ts) are checked by `npm run typecheck` (tsc), which fails on any broken expectTypeOf or unused @ts-expect-error.
    include: ['shared/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'scripts/**/test/**/*.test.ts'],
    // The templates' own tests are checked by tsc only; they run in a scaffolded service (scripts/new/test).
    exclude: ['**/node_modules/**', '**/.edge/**', 'scripts/new/templates/**'],
    // Each worker-backed test starts workerd; two cores, so keep the fan-out small.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
