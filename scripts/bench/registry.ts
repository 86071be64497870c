import { runEdgeBench } from '../edge/bench.ts';
import { runGitopsBench } from '../gitops/bench.ts';
import { runServicesFuzzBench } from '../reliability/bench.ts';
import type { BenchDefinition } from './result.ts';

/** Every bench `npm run bench` runs, in order. Add an entry to add a bench. */
export const BENCHES: BenchDefinition[] = [
  {
    name: 'edge-dataplane',
    description: 'local edge data plane vs Miniflare dispatchFetch: throughput, latency, start-up',
    run: runEdgeBench,
  },
  {
    name: 'gitops',
    description: 'reconciler on 100 synthetic services: no-op plan time and API calls; 1-service apply vs wrangler deploy of all',
    run: () => runGitopsBench(),
  },
  {
    name: 'services-fuzz',
    description: 'fast-check hostile requests, 10,000 per example service through workerd: 0 × 5xx, every error JSON',
    run: () => runServicesFuzzBench(),
  },
];
