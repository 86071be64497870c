import { devBenchSizes, runDevBench } from './dev-start.ts';
import { runEdgeBench } from '../edge/bench.ts';
import { gitopsBenchSizes, runGitopsBench } from '../gitops/bench.ts';
import { runScaleBench, scaleBenchSizes } from '../gitops/scale-bench.ts';
import { fileURLToPath } from 'node:url';
import { runColdStartBench } from './cold-start.ts';
import { runContractLayerBench } from './contract-layer/bench.ts';
import { FUZZ_REQUESTS_PER_SERVICE, QUICK_FUZZ_REQUESTS_PER_SERVICE, runServicesFuzzBench } from '../reliability/bench.ts';
import { FAULT_SEEDS, QUICK_FAULT_SEEDS, runFaultScheduleBench } from '../reliability/fault-bench.ts';
import { runSignalsBench, SIGNAL_REPEATS } from '../reliability/signals-bench.ts';
import { firstRunSizes, runFirstRunBench } from './first-run.ts';
import type { BenchDefinition } from './result.ts';
import { APPLY_LOAD_BENCH_SIZES, runApplyLoadBench } from '../reliability/apply-load-bench.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every bench `npm run bench` runs, in order. Add an entry to add a bench. */
export const BENCHES: BenchDefinition[] = [
  {
    name: 'edge-dataplane',
    description: 'local edge data plane vs Miniflare dispatchFetch: throughput, latency, start-up',
    run: runEdgeBench,
  },
  {
    name: 'gitops',
    description: 'reconciler on 100 synthetic services (10 with --quick): no-op plan time and API calls; 1-service apply vs wrangler deploy of all',
    run: ({ quick }) => runGitopsBench(gitopsBenchSizes(quick)),
  },
  {
    name: 'cold-start',
    description: 'each example service: fresh isolate to first response and bundle gzip size, against Cloudflare\'s limits (1 s start-up, 3 MB gzip free plan)',
    run: (options) => runColdStartBench(REPO_ROOT, options),
  },
  {
    name: 'contract-layer',
    description: 'the same 10-route API with our implement(), bare itty-router and Hono + zod-validator, each in workerd: throughput, p50/p99, bundle gzip',
    run: runContractLayerBench,
  },
  {
    name: 'scale',
    description: 'the edge and the reconciler with 10, 100 and 300 services deployed (3 and 10 with --quick): memory, 1-service apply, no-op plan time and API calls',
    run: ({ quick }) => runScaleBench(scaleBenchSizes(quick)),
  },
  {
    name: 'dev-start',
    description: 'local dev start-up and reload: npm run dev vs wrangler dev with N configs in one process vs N wrangler dev processes, N = 3 and 10 (2 with --quick)',
    run: ({ quick }) => runDevBench(devBenchSizes(quick)),
  },
  {
    name: 'services-fuzz',
    description: 'fast-check hostile requests, 10,000 per example service through workerd (300 with --quick): 0 × 5xx, every error JSON',
    run: ({ quick }) => runServicesFuzzBench(quick ? QUICK_FUZZ_REQUESTS_PER_SERVICE : FUZZ_REQUESTS_PER_SERVICE),
  },
  {
    name: 'apply-load',
    description: 'load during applies: 20 keep-alive connections reading and writing users while 10 new versions are applied (4 and 1, users alone, with --quick): 0 failed requests, 0 lost writes',
    run: ({ quick }) => runApplyLoadBench(quick ? APPLY_LOAD_BENCH_SIZES.quick : APPLY_LOAD_BENCH_SIZES.full),
  },
  {
    name: 'fault-schedules',
    description: `seeded fault schedules over applies, ${FAULT_SEEDS} seeds (${QUICK_FAULT_SEEDS} with --quick): each converges or stops cleanly, a rerun converges, unmanaged Workers untouched`,
    run: ({ quick }) => runFaultScheduleBench(quick ? QUICK_FAULT_SEEDS : FAULT_SEEDS),
  },
  {
    name: 'signals',
    description: `one SIGINT/SIGTERM stops npm start, npm run edge and npm run dev in each state (after deploys and queue traffic, mid-apply, workerd starting, idle), ${SIGNAL_REPEATS} runs each (1 run of one state with --quick): time until the process group is gone`,
    run: ({ quick }) => runSignalsBench(quick),
  },
  {
    name: 'first-run',
    description: 'a newcomer\'s first run in a fresh clone of HEAD: npm install (warm cache) and npm start to every example route\'s first 200; npm run new to a green test of the new service (no install, one run with --quick)',
    run: ({ quick }) => runFirstRunBench(firstRunSizes(quick)),
  },
];
