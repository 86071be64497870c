import { describe, expect, it } from 'vitest';
import { MAX_JSON_BODY_BYTES, MAX_MULTIPART_BODY_BYTES } from '../src/api/body-limits.ts';
import type { Edge } from '../src/index.ts';
import { type ApiClient, workerUpload } from './support/api-client.ts';
import { withTestEdge } from './support/test-edge.ts';

let stateDir: string;
let edge: Edge;
let api: ApiClient;

withTestEdge('edge-limits-', (started) => ({ edge, api, stateDir } = started));

/** A chunked body of `total` bytes produced only as the server reads it; `pulled()` says how much it took. */
function lazyBody(total: number, prefix: string): { stream: ReadableStream<Uint8Array>; pulled(): number } {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) {
        const head = new TextEncoder().encode(prefix);
        sent += head.byteLength;
        controller.enqueue(head);
        return;
      }
      if (sent >= total) {
        controller.close();
        return;
      }
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => sent };
}

async function streamed(path: string, contentType: string, body: ReturnType<typeof lazyBody>): Promise<{ status: number; envelope: { success: boolean; errors: { code: number }[] } }> {
  const response = await fetch(`${edge.apiUrl}${path.replaceAll('{a}', edge.accountId)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${edge.token}`, 'content-type': contentType },
    body: body.stream,
    duplex: 'half',
  } as RequestInit);
  const envelope = (await response.json()) as { success: boolean; errors: { code: number }[] };
  return { status: response.status, envelope };
}

const HUNDRED_MB = 100 * 1024 * 1024;

describe('control plane: request bodies are limited while they stream in', () => {
  it('a chunked 100 MB Worker upload is refused with 413 and 10027 before the edge has read it all', async () => {
    const body = lazyBody(HUNDRED_MB, '--x\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n{"main_module":"index.js"}\r\n--x\r\nContent-Disposition: form-data; name="index.js"; filename="index.js"\r\nContent-Type: application/javascript+module\r\n\r\n');
    const answer = await streamed('/accounts/{a}/workers/scripts/huge', 'multipart/form-data; boundary=x', body);
    expect(answer.status).toBe(413);
    expect(answer.envelope).toMatchObject({ success: false, errors: [{ code: 10027 }] });
    expect(body.pulled()).toBeGreaterThan(MAX_MULTIPART_BODY_BYTES);
    expect(body.pulled()).toBeLessThan(HUNDRED_MB / 2);
    expect((await api.call('GET', '/accounts/{a}/workers/scripts/huge')).status).toBe(404);
  });

  it('a JSON body over 1 MiB (a 2 MB zone name; 100 MB chunked) is refused with 413, nothing stored, not read whole', async () => {
    const name = `${'a'.repeat(2 * MAX_JSON_BODY_BYTES)}.example`;
    const response = await api.call('POST', '/zones', { body: { name, account: { id: edge.accountId } } });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ success: false, errors: [{ code: 10021 }] });
    const chunked = lazyBody(HUNDRED_MB, '{"name":"');
    const answer = await streamed('/accounts/{a}/workers/scripts/users/script-settings', 'application/json', chunked);
    expect(answer.status).toBe(413);
    expect(chunked.pulled()).toBeLessThan(HUNDRED_MB / 2);
    const zones = await api.ok<{ name: string }[]>('GET', '/zones');
    expect(zones.map((zone) => zone.name)).toEqual(['example.com']);
  });
});

describe('control plane: no native stacks or host paths in any answer', () => {
  it('a module name that climbs out of the Worker is refused with 10021 naming it', async () => {
    const response = await api.call('PUT', '/accounts/{a}/workers/scripts/climber', {
      body: workerUpload('export default { fetch() { return new Response("x"); } };', {}, '../../x.js'),
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ code: 10021 });
    expect(response.body.errors[0]?.message).toContain('part "../../x.js": a module name must not have ".."');
  });

  it('a Worker workerd refuses with an internal error is answered 10021 without its native stack or this machine\'s paths', async () => {
    const response = await api.call('PUT', '/accounts/{a}/workers/scripts/importer', {
      body: workerUpload('import secret from "../../../etc/passwd"; export default { fetch() { return new Response(secret); } };'),
    });
    expect(response.status).toBe(400);
    const message = response.body.errors[0]?.message ?? '';
    expect(response.body.errors[0]).toMatchObject({ code: 10021 });
    expect(message).toContain('failed to start');
    expect(message).not.toMatch(/stack:|node_modules|workerd@[0-9a-f]+/);
    expect(message).not.toContain(process.cwd());
    expect(message).not.toContain(stateDir);
  });
});

describe('control plane: upload bindings are complete and point at what exists', () => {
  const upload = (bindings: Record<string, unknown>[]) => ({ body: workerUpload('export default { fetch() { return new Response("x"); } };', { bindings }) });

  it('refuses incomplete bindings with 10021 naming the field', async () => {
    for (const binding of [
      { type: 'kv_namespace', name: 'STORE' },
      { type: 'plain_text', name: 'GREETING' },
      { type: 'queue', name: 'JOBS' },
    ]) {
      const response = await api.call('PUT', '/accounts/{a}/workers/scripts/incomplete', upload([binding]));
      expect(response.status).toBe(400);
      expect(response.body.errors[0]?.code).toBe(10021);
      expect(response.body.errors[0]?.message).toContain(`binding "${binding.name}"`);
    }
  });

  it('refuses a service binding to a Worker that does not exist with 10143, and a queue binding to a missing queue with 11000', async () => {
    const service = await api.call('PUT', '/accounts/{a}/workers/scripts/caller', upload([{ type: 'service', name: 'API', service: 'nobody' }]));
    expect(service.status).toBe(400);
    expect(service.body.errors[0]).toMatchObject({ code: 10143 });
    expect(service.body.errors[0]?.message).toContain("Target script 'nobody' not found");
    const queue = await api.call('PUT', '/accounts/{a}/workers/scripts/producer', upload([{ type: 'queue', name: 'JOBS', queue_name: 'no-such-queue' }]));
    expect(queue.status).toBe(400);
    expect(queue.body.errors[0]).toMatchObject({ code: 11000 });
    expect((await api.call('GET', '/accounts/{a}/workers/scripts/caller')).status).toBe(404);
  });

  it('accepts a service binding once its target exists, and a binding to itself', async () => {
    await api.ok('PUT', '/accounts/{a}/workers/scripts/target', upload([]));
    await api.ok('PUT', '/accounts/{a}/workers/scripts/caller', upload([{ type: 'service', name: 'API', service: 'target' }, { type: 'service', name: 'SELF', service: 'caller' }]));
  });
});
