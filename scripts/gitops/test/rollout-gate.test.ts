import { describe, expect, it } from 'vitest';
import { GitopsServiceSettings } from '../config/schema.ts';
import { decideRollout, type RolloutInProgress } from '../rollout/decide.ts';

const gate = { steps: [10, 50, 100], intervalMs: 5 * 60_000, maxErrorRate: 0.02, minRequests: 200 };
const rollout: RolloutInProgress = { service: 'users', tag: '1.3.0', stableTag: '1.2.0', newId: 'new', stableId: 'old', gate, step: 0, since: new Date('2026-01-01T00:00:00Z') };
const at = (minutes: number) => new Date(rollout.since.getTime() + minutes * 60_000);

describe('edgeops.rollout: the health-gated form', () => {
  it('parses steps, interval, maxErrorRate and minRequests; the percentage form still parses', () => {
    const parsed = GitopsServiceSettings.parse({ rollout: { stable: '1.2.0', steps: [10, 50, 100], interval: '5m', maxErrorRate: 0.02, minRequests: 200 } });
    expect(parsed.rollout).toEqual({ stable: '1.2.0', steps: [10, 50, 100], interval: 300_000, maxErrorRate: 0.02, minRequests: 200 });
    expect(GitopsServiceSettings.parse({ rollout: { stable: '1.2.0', percentage: 10 } }).rollout).toEqual({ stable: '1.2.0', percentage: 10 });
  });

  it.each([
    [{ steps: [50, 10, 100] }, 'steps in increasing order'],
    [{ steps: [10, 50] }, 'the last step is 100'],
    [{ steps: [100] }, 'at least two steps'],
    [{ interval: '5 minutes' }, 'a duration such as 30s, 5m, 2h or 1d'],
    [{ maxErrorRate: 2 }, 'a rate from 0 to 1'],
  ])('refuses %j, saying what is expected', (change, message) => {
    const result = GitopsServiceSettings.safeParse({ rollout: { stable: '1.2.0', steps: [10, 50, 100], interval: '5m', maxErrorRate: 0.02, minRequests: 200, ...change } });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });
});

describe('decideRollout: the gate', () => {
  it('rolls back as soon as enough requests show an error rate over the limit, interval or not', () => {
    expect(decideRollout(rollout, { requests: 200, errors: 40 }, at(1))).toEqual({ kind: 'rollback', versions: [{ version_id: 'old', percentage: 100 }], message: 'edgeops health gate rolled back 1.3.0' });
  });

  it('waits for the interval, then for enough requests, then advances; the last step serves the new version alone', () => {
    expect(decideRollout(rollout, { requests: 500, errors: 0 }, at(4))).toMatchObject({ kind: 'wait', why: expect.stringContaining('lasts at least 300s') });
    expect(decideRollout(rollout, { requests: 199, errors: 0 }, at(6))).toMatchObject({ kind: 'wait', why: 'too few requests to judge: 199 of the 200 needed' });
    expect(decideRollout(rollout, { requests: 200, errors: 4 }, at(6))).toEqual({
      kind: 'advance',
      step: 1,
      versions: [
        { version_id: 'new', percentage: 50 },
        { version_id: 'old', percentage: 50 },
      ],
      message: 'edgeops rollout 1.3.0 step 2/3',
    });
    expect(decideRollout({ ...rollout, step: 1 }, { requests: 300, errors: 0 }, at(6))).toEqual({ kind: 'advance', step: 2, versions: [{ version_id: 'new', percentage: 100 }], message: 'edgeops rollout 1.3.0 step 3/3' });
  });

  it('does not judge a tiny sample: few requests that all failed wait', () => {
    expect(decideRollout(rollout, { requests: 5, errors: 5 }, at(10))).toMatchObject({ kind: 'wait' });
  });
});
