import { createClient } from '@edgeops/contracts';
import { notificationsContract, ordersContract, usersContract } from '@edgeops/contracts/contracts';
import { startFleet, type FleetHarness } from '@edgeops/scripts/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { FuzzRequest } from '../hostile-requests.ts';
import { assertServiceHolds } from '../service-fuzz.ts';

const BASE = 'https://api.example.com';
let fleet: FleetHarness;
const known: string[] = [];

beforeAll(async () => {
  fleet = await startFleet();
  const users = createClient(usersContract, { baseUrl: BASE, fetch: (request) => fleet.fetch(request.url, request) });
  for (const email of ['fuzz-a@example.com', 'fuzz-b@example.com']) {
    const created = await users.createUser({ body: { email, name: 'fuzz' } });
    if (created.status !== 201) throw new Error(`could not create ${email}: ${created.status}`);
    known.push(created.body.id, email);
  }
});
afterAll(() => fleet?.dispose());

const send = (request: FuzzRequest): Promise<Response> =>
  fleet.fetch(`${BASE}${request.target}`, { method: request.method, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) });

describe('example services under hostile input (fast-check through workerd)', () => {
  for (const contract of [usersContract, ordersContract, notificationsContract]) {
    it(`${contract.service}: answers every drawn request without a 5xx, every error as JSON`, async () => {
      await assertServiceHolds(contract, send, { runs: 300, known });
    });
  }
});
