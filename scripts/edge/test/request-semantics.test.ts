/**
 * Cloudflare's request semantics on the data plane: a unique `cf-ray` on the request and the
 * answer, client address headers a client cannot spoof, `request.cf` with the documented fields,
 * and the test-only country/colo headers the edge strips before the Worker runs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataPlane, fetchWithHost, type DataPlane } from '../src/dataplane/index.ts';
import { COLO_OVERRIDE_HEADER, COUNTRY_OVERRIDE_HEADER } from '../src/dataplane/edge-request.ts';
import { script, snapshot, version } from './dataplane-fixtures.ts';

interface Seen {
  headers: Record<string, string>;
  cf: Record<string, unknown>;
}

const mirrorWorker = `export default {
  async fetch(request) {
    return Response.json({ headers: Object.fromEntries(request.headers), cf: request.cf });
  },
};`;

let persistDir: string;
let dataPlane: DataPlane;

async function seen(headers: Record<string, string> = {}): Promise<{ seen: Seen; response: Response }> {
  const response = await fetchWithHost(dataPlane.url, 'mirror.example.com', '/', { headers });
  expect(response.status).toBe(200);
  return { seen: (await response.clone().json()) as Seen, response };
}

beforeAll(async () => {
  persistDir = await mkdtemp(path.join(tmpdir(), 'edge-semantics-'));
  dataPlane = await createDataPlane({ port: 0, persistDir });
  await dataPlane.apply(
    snapshot({
      scripts: [script('mirror', [version('mirror-v1', mirrorWorker)])],
      routes: [{ zoneName: 'example.com', pattern: 'mirror.example.com/*', script: 'mirror' }],
    }),
  );
});

afterAll(async () => {
  await dataPlane?.dispose();
  await rm(persistDir, { recursive: true, force: true });
});

describe('request semantics: client address headers', () => {
  const spoofed = '203.0.113.66';
  it.each([
    ['cf-connecting-ip', { 'cf-connecting-ip': spoofed }, '127.0.0.1'],
    ['x-real-ip', { 'x-real-ip': spoofed }, '127.0.0.1'],
    ['x-forwarded-for', { 'x-forwarded-for': `${spoofed}, 198.51.100.7` }, `${spoofed}, 198.51.100.7, 127.0.0.1`],
    ['all three at once', { 'cf-connecting-ip': spoofed, 'x-real-ip': spoofed, 'x-forwarded-for': spoofed }, `${spoofed}, 127.0.0.1`],
    ['none sent', {}, '127.0.0.1'],
  ])(
    'request semantics: %s sent by the client: cf-connecting-ip and x-real-ip are the connecting address, which x-forwarded-for ends with',
    async (_name, headers: Record<string, string>, chain: string) => {
      const { seen: worker } = await seen(headers);
      expect(worker.headers['cf-connecting-ip']).toBe('127.0.0.1');
      expect(worker.headers['x-real-ip']).toBe('127.0.0.1');
      // Cloudflare appends the connecting address to the chain the client sent (it is not replaced).
      expect(worker.headers['x-forwarded-for']).toBe(chain);
    },
  );
});

describe('request semantics: cf-ray', () => {
  it('request semantics: the Worker and the client see the same cf-ray, 16 hex digits and the colo', async () => {
    const { seen: worker, response } = await seen();
    expect(worker.headers['cf-ray']).toMatch(/^[0-9a-f]{16}-LOCAL$/);
    expect(response.headers.get('cf-ray')).toBe(worker.headers['cf-ray']);
  });

  it('request semantics: every request gets its own cf-ray, a client-sent one is replaced', async () => {
    const rays = new Set<string>();
    for (let attempt = 0; attempt < 20; attempt += 1) rays.add((await seen({ 'cf-ray': 'ffffffffffffffff-SPOOF' })).seen.headers['cf-ray'] ?? '');
    expect(rays.size).toBe(20);
    expect(rays.has('ffffffffffffffff-SPOOF')).toBe(false);
  });

  it('request semantics: answers the edge gives itself (no route matched) carry a cf-ray too', async () => {
    const response = await fetchWithHost(dataPlane.url, 'nowhere.example.com', '/');
    expect(response.status).toBe(404);
    expect(response.headers.get('cf-ray')).toMatch(/^[0-9a-f]{16}-LOCAL$/);
  });
});

describe('request semantics: request.cf', () => {
  it('request semantics: request.cf carries the documented fields with local values', async () => {
    const { seen: worker } = await seen({ 'accept-encoding': 'gzip' });
    expect(worker.cf).toMatchObject({ colo: 'LOCAL', country: 'XX', asn: 0, timezone: 'UTC', httpProtocol: 'HTTP/1.1', clientTcpRtt: 0, clientAcceptEncoding: 'gzip' });
    for (const field of ['asOrganization', 'continent', 'city', 'region', 'regionCode', 'postalCode', 'latitude', 'longitude', 'tlsVersion', 'tlsCipher', 'requestPriority', 'edgeRequestKeepAliveStatus']) {
      expect(worker.cf, field).toHaveProperty(field);
    }
  });

  it.each([
    ['not JSON', 'not json'],
    ['a request.cf of its own', JSON.stringify({ colo: 'SPOOF', country: 'ZZ' })],
  ])('request semantics: a client-sent cf-blob header (%s), which workerd would read request.cf from, is dropped: the edge\'s request.cf, no 500', async (_case, blob) => {
    const { seen: worker } = await seen({ 'mf-cf-blob': blob });
    expect(worker.cf).toMatchObject({ colo: 'LOCAL', country: 'XX' });
    expect(worker.headers['mf-cf-blob']).toBeUndefined();
  });

  it('request semantics: https requests report TLS in request.cf', async () => {
    const { seen: worker } = await seen({ 'x-forwarded-proto': 'https' });
    expect(worker.cf).toMatchObject({ tlsVersion: 'TLSv1.3' });
  });

  it.each([
    [{ [COUNTRY_OVERRIDE_HEADER]: 'DE', [COLO_OVERRIDE_HEADER]: 'FRA' }, { country: 'DE', colo: 'FRA' }],
    [{ [COUNTRY_OVERRIDE_HEADER]: 'jp' }, { country: 'JP', colo: 'LOCAL' }],
    [{ [COUNTRY_OVERRIDE_HEADER]: 'not-a-country', [COLO_OVERRIDE_HEADER]: '!!' }, { country: 'XX', colo: 'LOCAL' }],
  ])('request semantics: the test headers %o set request.cf %o and never reach the Worker', async (headers: Record<string, string>, expected) => {
    const { seen: worker, response } = await seen(headers);
    expect(worker.cf).toMatchObject(expected);
    expect(worker.headers[COUNTRY_OVERRIDE_HEADER]).toBeUndefined();
    expect(worker.headers[COLO_OVERRIDE_HEADER]).toBeUndefined();
    expect(response.headers.get('cf-ray')).toMatch(new RegExp(`-${expected.colo}$`));
  });
});
