/**
 * Parity with wrangler: the upload metadata the reconciler sends for a Worker with Durable Objects
 * is what `wrangler deploy` sends for the same wrangler.toml — the `durable_object_namespace`
 * bindings and `metadata.migrations` (first all steps without `old_tag`, then only the steps after
 * the account's tag). Each tool deploys to its own local edge through a recording pass-through
 * proxy (every answer is the edge's own); the recorded `PUT …/workers/scripts/counter` bodies are
 * compared. `wrangler deploy --dry-run` writes no metadata, so a real deploy is what is compared.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type Edge } from '../../edge/src/index.ts';
import { REPO_ROOT } from '../../fleet/testing.ts';
import { reconcile } from '../index.ts';
import { createFixtureFleet, removeFixtureFleets, writeService } from '../synthetic/fleet.ts';

const run = promisify(execFile);
const WRANGLER = join(REPO_ROOT, 'node_modules', '.bin', 'wrangler');

interface Recorder {
  apiUrl: string;
  /** The `metadata` part of every `PUT …/workers/scripts/counter`, in order. */
  uploads: Record<string, unknown>[];
  server: Server;
}

/** A pass-through proxy to `edge` that records the metadata of script uploads. */
async function recordingProxy(edge: Edge): Promise<Recorder> {
  const target = new URL(edge.apiUrl);
  const recorder: Recorder = { apiUrl: '', uploads: [], server: createServer() };
  recorder.server.on('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'connection' && name !== 'content-length')) as Record<string, string>;
        if (request.method === 'PUT' && /\/workers\/scripts\/counter(\?|$)/.test(request.url ?? '')) {
          const form = await new Request('http://record/', { method: 'PUT', headers: { 'content-type': headers['content-type'] ?? '' }, body }).formData();
          const metadata = form.get('metadata');
          recorder.uploads.push(JSON.parse(typeof metadata === 'string' ? metadata : await (metadata as Blob).text()) as Record<string, unknown>);
        }
        const answer = await fetch(`${target.origin}${request.url ?? ''}`, { method: request.method ?? 'GET', headers, ...(body.length > 0 ? { body } : {}) });
        response.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([name]) => name !== 'content-encoding' && name !== 'content-length')));
        response.end(Buffer.from(await answer.arrayBuffer()));
      })().catch((error: unknown) => {
        response.writeHead(502);
        response.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => recorder.server.listen(0, '127.0.0.1', resolve));
  const { port } = recorder.server.address() as AddressInfo;
  recorder.apiUrl = `http://127.0.0.1:${port}${target.pathname}`;
  return recorder;
}

const SOURCE = `import { DurableObject } from 'cloudflare:workers';
export class Counter extends DurableObject {}
export class Tally extends DurableObject {}
export default { fetch: () => new Response('ok') };
`;
const BINDINGS = '[[durable_objects.bindings]]\nname = "COUNTER"\nclass_name = "Counter"\n';
const V1 = '[[migrations]]\ntag = "v1"\nnew_sqlite_classes = ["Counter"]\n';
const V2 = '[[migrations]]\ntag = "v2"\nnew_classes = ["Tally"]\n';

let root: string;
let rootDir: string;
const edges: Edge[] = [];
const recorders: Recorder[] = [];

async function writeCounter(version: string, migrations: string): Promise<void> {
  await writeService(rootDir, { name: 'counter', version, extraToml: `${BINDINGS}\n${migrations}` });
  await writeFile(join(rootDir, 'services', 'counter', 'src', 'index.js'), SOURCE);
}

async function deployBoth(wrangler: Recorder, ours: Recorder): Promise<[Record<string, unknown>, Record<string, unknown>]> {
  const home = join(root, 'home');
  await mkdir(join(home, '.config'), { recursive: true });
  const edge = edges[0] as Edge;
  await run(WRANGLER, ['deploy'], {
    cwd: join(rootDir, 'services', 'counter'),
    env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_API_BASE_URL: wrangler.apiUrl, CLOUDFLARE_API_TOKEN: edge.token, CLOUDFLARE_ACCOUNT_ID: edge.accountId },
  });
  const ourEdge = edges[1] as Edge;
  const outcome = await reconcile({ rootDir, target: 'local', endpoint: { apiUrl: ours.apiUrl, accountId: ourEdge.accountId, token: ourEdge.token }, yes: true, output: { out: () => undefined, err: () => undefined } });
  expect(outcome.plan.errors).toEqual([]);
  expect(outcome.result?.ok).toBe(true);
  return [wrangler.uploads.at(-1) as Record<string, unknown>, ours.uploads.at(-1) as Record<string, unknown>];
}

/** What both tools must agree on: the Durable Object bindings and the migrations. */
function durableObjectsOf(metadata: Record<string, unknown>) {
  const bindings = (metadata.bindings as { type: string; name: string }[]).filter((binding) => binding.type === 'durable_object_namespace');
  return { bindings, migrations: metadata.migrations };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gitops-do-parity-'));
  rootDir = await createFixtureFleet([]);
  for (const name of ['wrangler', 'edgeops']) {
    const edge = await startEdge({ stateDir: join(root, name), apiPort: 0, dataPort: 0, zones: ['example.com'] });
    edges.push(edge);
    recorders.push(await recordingProxy(edge));
  }
});

afterAll(async () => {
  for (const recorder of recorders) recorder.server.close();
  await Promise.all(edges.map((edge) => edge.stop()));
  await removeFixtureFleets();
  await rm(root, { recursive: true, force: true });
});

describe('durable objects: upload metadata parity with wrangler deploy', () => {
  it('a new Worker: the same binding and every migration step, without old_tag', async () => {
    await writeCounter('1.0.0', V1);
    const [theirs, ours] = await deployBoth(recorders[0] as Recorder, recorders[1] as Recorder);
    expect(durableObjectsOf(ours)).toEqual(durableObjectsOf(theirs));
    expect(theirs.migrations).toEqual({ new_tag: 'v1', steps: [{ new_sqlite_classes: ['Counter'] }] });
  }, 180_000);

  it('a new migration: only the steps after the account\'s tag, with old_tag', async () => {
    await writeCounter('1.1.0', `${V1}\n${V2}`);
    const [theirs, ours] = await deployBoth(recorders[0] as Recorder, recorders[1] as Recorder);
    expect(durableObjectsOf(ours)).toEqual(durableObjectsOf(theirs));
    expect(theirs.migrations).toEqual({ old_tag: 'v1', new_tag: 'v2', steps: [{ new_classes: ['Tally'] }] });
  }, 180_000);
});
