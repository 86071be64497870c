import { durableSampleContract } from '@edgeops/contracts/contracts';
import { withTestFleet } from '@edgeops/scripts/test-fleet';
import { describe, expect, it } from 'vitest';

// The whole fleet runs in workerd, Durable Objects included, so durable-sample is reached on its route.
const fleet = withTestFleet();

const durableSampleApi = () => fleet.client(durableSampleContract);
const raw = fleet.raw;

describe('durable-sample: one Durable Object per key', () => {
  it('counts from 0, one key independently of another', async () => {
    expect(await durableSampleApi().getDurableSampleCount({ params: { key: 'a' } })).toEqual({ status: 200, body: { key: 'a', count: 0 } });
    expect((await durableSampleApi().incrementDurableSampleCount({ params: { key: 'a' } })).body).toEqual({ key: 'a', count: 1 });
    expect((await durableSampleApi().incrementDurableSampleCount({ params: { key: 'a' } })).body).toEqual({ key: 'a', count: 2 });
    expect((await durableSampleApi().getDurableSampleCount({ params: { key: 'b' } })).body).toEqual({ key: 'b', count: 0 });
  });

  it('never loses an increment when many arrive at once (the object handles them one at a time)', async () => {
    await Promise.all(Array.from({ length: 20 }, () => durableSampleApi().incrementDurableSampleCount({ params: { key: 'busy' } })));
    expect((await durableSampleApi().getDurableSampleCount({ params: { key: 'busy' } })).body).toEqual({ key: 'busy', count: 20 });
  });

  it('answers other methods with 405', async () => {
    expect((await raw('/durable-sample/a', { method: 'DELETE' })).status).toBe(405);
  });
});
