/**
 * The bench form of the hostile-input suite (`npm run bench -- services-fuzz`): the same
 * fast-check requests as scripts/reliability/test/service-fuzz.test.ts, 10,000 per example
 * service instead of 300, through the real fleet in workerd. Every answer counts: a 5xx or an error
 * that is not JSON is a failure (goal: 0). Figures go to docs/reliability.md.
 */
import { createClient } from '@edgeops/contracts';
import { notificationsContract, ordersContract, usersContract } from '@edgeops/contracts/contracts';
import type { BenchResult, BenchRow } from '../bench/result.ts';
import { startFleet } from '../fleet/testing.ts';
import { tallyService } from './service-fuzz.ts';

const BASE = 'https://api.example.com';
export const FUZZ_REQUESTS_PER_SERVICE = 10_000;
export const QUICK_FUZZ_REQUESTS_PER_SERVICE = 300;

export async function runServicesFuzzBench(requests = FUZZ_REQUESTS_PER_SERVICE): Promise<BenchResult> {
  const fleet = await startFleet();
  try {
    const users = createClient(usersContract, { baseUrl: BASE, fetch: (request) => fleet.fetch(request.url, request) });
    const known: string[] = [];
    for (const email of ['bench-a@example.com', 'bench-b@example.com']) {
      const created = await users.createUser({ body: { email, name: 'bench' } });
      if (created.status !== 201) throw new Error(`could not create ${email}: ${created.status}`);
      known.push(created.body.id, email);
    }
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    for (const contract of [usersContract, ordersContract, notificationsContract]) {
      const started = performance.now();
      const tally = await tallyService(
        contract,
        (request) => fleet.fetch(`${BASE}${request.target}`, { method: request.method, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) }),
        { runs: requests, known, seed: 12 },
      );
      const seconds = (performance.now() - started) / 1000;
      rows.push(
        { metric: `${contract.service}: requests`, value: tally.requests, unit: 'requests' },
        { metric: `${contract.service}: 2xx`, value: tally.byClass['2xx'] ?? 0, unit: 'answers' },
        { metric: `${contract.service}: 4xx`, value: tally.byClass['4xx'] ?? 0, unit: 'answers' },
        { metric: `${contract.service}: 5xx or non-JSON error`, value: tally.failures, unit: 'answers', goal: '= 0', ok: tally.failures === 0 },
        { metric: `${contract.service}: failed answers / requests`, value: tally.requests === 0 ? 0 : tally.failures / tally.requests, unit: 'ratio', goal: '= 0', ok: tally.failures === 0 },
      );
      notes.push(`${contract.service}: ${tally.requests} requests in ${seconds.toFixed(1)} s (seed 12)${tally.problems.length > 0 ? `; first problems: ${tally.problems.join(' | ')}` : ''}`);
    }
    return { rows, notes };
  } finally {
    await fleet.dispose();
  }
}
