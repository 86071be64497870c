/**
 * The malformed-HTTP corpus (malformed-http.ts) against a local edge's data plane, over raw sockets:
 * every case is a 4xx with the edge's JSON error body (never workerd's plain-text 500), a connection
 * Node's parser could still frame stays usable, and a fresh connection is served normally after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type Edge } from '../../edge/src/index.ts';
import { FOLLOW_UP, MALFORMED_CASES, RawConnection, type RawAnswer } from '../malformed-http.ts';

let stateDir: string;
let edge: Edge;
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'malformed-http-'));
  edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'] });
});
afterAll(async () => {
  await edge?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

/** A normal answer of the data plane: with no Worker deployed, its router's JSON 404 for the host. */
function expectServed(answer: RawAnswer): void {
  expect(answer.status).toBe(404);
  expect(answer.headers['x-edge-error']).toBe('no_route_matched');
  expect(JSON.parse(answer.body)).toMatchObject({ error: 'no_route_matched', host: 'api.example.com' });
}

describe('malformed HTTP on the data plane', () => {
  for (const malformed of MALFORMED_CASES) {
    it(`malformed HTTP: ${malformed.name} → ${malformed.status} JSON, ${malformed.connection === 'kept' ? 'the connection stays usable' : 'the connection is closed'}, a fresh connection is served`, async () => {
      const connection = await RawConnection.open(edge.url);
      try {
        connection.write(malformed.raw);
        const answer = await connection.read(malformed.head);
        expect(answer.status, answer.body).toBe(malformed.status);
        expect(answer.headers['content-type']).toContain('application/json');
        expect(answer.headers['x-edge-error']).toMatch(/^[a-z_]+$/);
        if (!malformed.head) expect(JSON.parse(answer.body)).toMatchObject({ error: answer.headers['x-edge-error'], message: expect.any(String) });
        expect(answer.headers['cf-ray']).toMatch(/^[0-9a-f]{16}-[A-Z0-9]+$/);
        if (malformed.connection === 'kept') {
          connection.write(FOLLOW_UP);
          expectServed(await connection.read());
        } else {
          await connection.closedByEdge();
        }
      } finally {
        connection.close();
      }
      const fresh = await RawConnection.open(edge.url);
      try {
        fresh.write(FOLLOW_UP);
        expectServed(await fresh.read());
      } finally {
        fresh.close();
      }
    });
  }
});
