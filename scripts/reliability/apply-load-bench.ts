/**
 * The bench form of "load during applies" (`npm run bench -- apply-load`): the same load as
 * scripts/reliability/test/load-during-applies.test.ts with more connections and applies, on a
 * fresh local edge running the example fleet. Goals: 0 failed requests, 0 lost writes. Figures go
 * to docs/reliability.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from '../bench/result.ts';
import { startEdge } from '../edge/src/index.ts';
import { copyExampleFleet } from '../fleet/testing.ts';
import { median } from '../bench/median.ts';
import { applyUsersVersion, deployFleet, keepUsersAlone, loadDuringApplies } from './apply-load.ts';

export interface ApplyLoadBenchSize {
  connections: number;
  applies: number;
  /** The whole example fleet deployed, or users alone. */
  fleet: 'example' | 'users';
}

export const APPLY_LOAD_BENCH_SIZES = {
  full: { connections: 20, applies: 10, fleet: 'example' },
  quick: { connections: 4, applies: 1, fleet: 'users' },
} satisfies Record<string, ApplyLoadBenchSize>;

export async function runApplyLoadBench(size: ApplyLoadBenchSize): Promise<BenchResult> {
  process.env.WRANGLER_SEND_METRICS = 'false';
  const stateDir = await mkdtemp(join(tmpdir(), 'apply-load-bench-'));
  const fleet = await copyExampleFleet();
  const edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'] });
  try {
    const endpoint = { apiUrl: edge.apiUrl, accountId: edge.accountId, token: edge.token };
    if (size.fleet === 'users') await keepUsersAlone(fleet.rootDir);
    await deployFleet(fleet.rootDir, endpoint);
    const result = await loadDuringApplies({
      dataUrl: edge.url,
      connections: size.connections,
      applies: size.applies,
      apply: (index) => applyUsersVersion(fleet.rootDir, endpoint, `9.1.${index}`),
    });
    return {
      rows: [
        { metric: 'requests', value: result.requests, unit: 'requests' },
        { metric: 'requests under way during an apply', value: result.duringApplies, unit: 'requests' },
        { metric: 'failed requests (refused, reset or 5xx)', value: result.failed, unit: 'requests', goal: '= 0', ok: result.failed === 0 },
        { metric: 'failed requests / requests', value: result.requests === 0 ? 0 : result.failed / result.requests, unit: 'ratio', goal: '= 0', ok: result.failed === 0 },
        { metric: 'acknowledged writes', value: result.acknowledgedWrites, unit: 'writes' },
        { metric: 'acknowledged writes not read back', value: result.lostWrites, unit: 'writes', goal: '= 0', ok: result.lostWrites === 0 },
        { metric: 'apply of a new users version, median', value: Math.round(median(result.applyMs)), unit: 'ms' },
        { metric: 'longest request (held through a restart)', value: Math.round(result.longestRequestMs), unit: 'ms' },
      ],
      notes: [
        `${size.connections} keep-alive connections to the data plane, each alternating GET /users?limit=5 (2 of 3) and POST /users (1 of 3), while ${size.applies} new users versions were applied one after the other (version bump + the reconciler, on ${size.fleet === 'example' ? 'the example fleet' : 'users alone'}); every acknowledged POST read back afterwards.`,
        ...(result.failures.length > 0 ? [`first failures: ${result.failures.join(' | ')}`] : []),
      ],
    };
  } finally {
    await edge.stop();
    await fleet.remove();
    await rm(stateDir, { recursive: true, force: true });
  }
}
