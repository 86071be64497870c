import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OPENAPI_PATH, type OpenApiDocument } from '@edgeops/contracts';
import { REPO_ROOT, startFleet, type FleetHarness } from '@edgeops/scripts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentPath, staleDocuments } from '../generate.ts';

describe('contracts: the committed documents', () => {
  it('are what the contracts generate now (run `npm run contracts` after a contract or version change)', async () => {
    expect(await staleDocuments(REPO_ROOT)).toEqual([]);
  });
});

describe('contracts: every service serves its document, in workerd', () => {
  let fleet: FleetHarness;
  beforeAll(async () => {
    fleet = await startFleet();
  });
  afterAll(() => fleet?.dispose());

  it(`answers GET ${OPENAPI_PATH} with the committed document (as a service binding calls it)`, async () => {
    const services = fleet.fleet.services.map((service) => service.name);
    expect(services.length).toBeGreaterThan(0);
    for (const name of services) {
      const committed = JSON.parse(await readFile(join(REPO_ROOT, documentPath(name)), 'utf8')) as OpenApiDocument;
      const worker = await fleet.worker(name);
      const response = await worker.fetch(`https://${name}.internal${OPENAPI_PATH}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(response.headers.get('x-request-id')).toBeTruthy();
      // The Worker does not know its package.json version unless told (implement's `openapi.version`).
      expect(await response.json()).toEqual({ ...committed, info: { ...committed.info, version: 'unversioned' } });
    }
  });

  it('answers another method on the document with 405 and Allow: GET', async () => {
    const worker = await fleet.worker('users');
    const response = await worker.fetch(`https://users.internal${OPENAPI_PATH}`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});
