/** The data plane's request gate (dataplane/request-gate.ts) on its own: counts only, no clocks. */
import { describe, expect, it } from 'vitest';
import { RequestGate } from '../src/dataplane/request-gate.ts';

describe('request gate', () => {
  it('request gate: a hold with nothing in flight is drained at once; requests then wait, and release admits them in order', async () => {
    const heard: number[] = [];
    const gate = new RequestGate({ maxHeld: 2, drainMs: 60_000 }, (count) => heard.push(count));
    expect(await gate.hold()).toEqual({ left: 0 });
    const order: number[] = [];
    const first = gate.enter();
    const second = gate.enter();
    expect(gate.enter()).toEqual({ kind: 'full' });
    if (first.kind !== 'held' || second.kind !== 'held') throw new Error('expected both to wait');
    const admitted = Promise.all([first.admitted.then(() => order.push(1)), second.admitted.then(() => order.push(2))]);
    gate.release();
    await admitted;
    expect(order).toEqual([1, 2]);
    expect(heard).toEqual([1, 2, 0]);
    expect(gate.enter()).toEqual({ kind: 'admitted' });
  });

  it('request gate: a hold waits for the requests in flight, or reports how many were left when its bound passed', async () => {
    const gate = new RequestGate({ maxHeld: 10, drainMs: 60_000 });
    gate.enter();
    gate.enter();
    const drained = gate.hold();
    gate.leave();
    gate.leave();
    expect(await drained).toEqual({ left: 0 });
    gate.release();

    const bounded = new RequestGate({ maxHeld: 10, drainMs: 0 });
    bounded.enter();
    expect(await bounded.hold()).toEqual({ left: 1 });
  });
});
