import { startFleet, type FleetHarness } from '@edgeops/scripts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeepAliveClient } from '../keep-alive.ts';

let fleet: FleetHarness;
let client: KeepAliveClient;
beforeAll(async () => {
  fleet = await startFleet();
  client = new KeepAliveClient(await fleet.miniflare.ready);
});
afterAll(async () => {
  client?.close();
  await fleet?.dispose();
});

const host = { host: 'api.example.com' };

/** 4xx answers a provider gives before (or without) reading the body, each with a body the client sent. */
const QUICK_ERRORS = [
  { name: '415 (not JSON)', method: 'POST', path: '/orders', headers: { ...host, 'content-type': 'text/plain' }, body: 'x'.repeat(100_000), status: 415 },
  { name: '405 (method)', method: 'PUT', path: '/orders', headers: { ...host, 'content-type': 'application/json' }, body: 'x'.repeat(100_000), status: 405 },
  { name: '413 (too large)', method: 'POST', path: '/users', headers: { ...host, 'content-type': 'application/json' }, body: 'x'.repeat(200_000), status: 413 },
  { name: '404 (no route)', method: 'POST', path: '/nowhere', headers: { ...host, 'content-type': 'application/json' }, body: '{}', status: 404 },
  { name: '400 (invalid JSON)', method: 'POST', path: '/users', headers: { ...host, 'content-type': 'application/json' }, body: '{' + ' '.repeat(50_000), status: 400 },
] as const;

describe('keep-alive after a quick 4xx', () => {
  for (const quick of QUICK_ERRORS) {
    it(`${quick.name}: the next request on the same connection is answered`, async () => {
      const first = await client.send(quick.method, quick.path, quick.headers, quick.body);
      expect(first.status).toBe(quick.status);
      const next = await client.send('GET', '/users?limit=1', host);
      expect(next).toMatchObject({ status: 200, reusedSocket: true });
    });
  }
});
