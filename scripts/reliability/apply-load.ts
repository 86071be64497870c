/**
 * Load during applies: a steady stream of requests to the example `users` service on a local edge
 * (several keep-alive connections, reads and writes mixed) while new versions of it are applied the
 * way a user does (a version bump, then the reconciler). Every request must be answered as the
 * contract says (no refusal, reset or 5xx), and every write the edge acknowledged must read back
 * afterwards. Counts only; the test (small) and the bench (large) share it.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reconcile, type ApiEndpoint } from '../gitops/index.ts';
import { KeepAliveClient } from './keep-alive.ts';

const HOST = 'api.example.com';
const JSON_HEADERS = { host: HOST, 'content-type': 'application/json' };

export interface ApplyLoadOptions {
  /** The edge's data plane, e.g. http://127.0.0.1:8787. */
  dataUrl: string;
  /** Keep-alive connections, each sending one request after the other. */
  connections: number;
  /** Applies, one after the other, while the load runs. */
  applies: number;
  /** Runs apply number `index` (from 0). */
  apply(index: number): Promise<void>;
}

export interface ApplyLoadResult {
  requests: number;
  /** Requests refused, reset, or answered other than the contract says (a 5xx among them). */
  failed: number;
  /** The first few failures, described. */
  failures: string[];
  /** Requests that were under way while an apply ran. */
  duringApplies: number;
  /** Users created (201) while the load ran. */
  acknowledgedWrites: number;
  /** Acknowledged writes a later read did not find. */
  lostWrites: number;
  /** Each apply's duration, ms. */
  applyMs: number[];
  /** The longest a request took, ms (one that waited through a runtime restart). */
  longestRequestMs: number;
}

interface Window {
  start: number;
  end: number;
}

const overlaps = (request: Window, windows: readonly Window[]) => windows.some((apply) => request.start < apply.end && request.end > apply.start);

export async function loadDuringApplies(options: ApplyLoadOptions): Promise<ApplyLoadResult> {
  const origin = new URL(options.dataUrl);
  const run = Date.now().toString(36);
  const applying: Window[] = [];
  const requests: Window[] = [];
  const failures: string[] = [];
  const written = new Map<string, string>();
  let failed = 0;
  let stop = false;

  const fail = (description: string): void => {
    failed++;
    if (failures.length < 10) failures.push(description);
  };

  async function connection(index: number): Promise<void> {
    const client = new KeepAliveClient(origin);
    try {
      for (let step = 0; !stop; step++) {
        const start = performance.now();
        const write = step % 3 === 0;
        const email = `load-${run}-${index}-${step}@example.com`;
        try {
          if (write) {
            const answer = await client.send('POST', '/users', JSON_HEADERS, JSON.stringify({ email, name: `load ${index}` }));
            if (answer.status === 201) written.set((JSON.parse(answer.body) as { id: string }).id, email);
            else fail(`POST /users → ${answer.status} ${answer.body.slice(0, 200)}`);
          } else {
            const answer = await client.send('GET', '/users?limit=5', { host: HOST });
            if (answer.status !== 200) fail(`GET /users → ${answer.status} ${answer.body.slice(0, 200)}`);
          }
        } catch (error) {
          fail(`${write ? 'POST' : 'GET'} /users: ${error instanceof Error ? error.message : String(error)}`);
        }
        requests.push({ start, end: performance.now() });
      }
    } finally {
      client.close();
    }
  }

  const load = Array.from({ length: options.connections }, (_, index) => connection(index));
  try {
    for (let index = 0; index < options.applies; index++) {
      const start = performance.now();
      await options.apply(index);
      applying.push({ start, end: performance.now() });
    }
  } finally {
    stop = true;
    await Promise.all(load);
  }

  let lostWrites = 0;
  const reader = new KeepAliveClient(origin);
  try {
    for (const [id, email] of written) {
      const answer = await reader.send('GET', `/users/${encodeURIComponent(id)}`, { host: HOST });
      if (answer.status !== 200 || (JSON.parse(answer.body) as { email?: string }).email !== email) lostWrites++;
    }
  } finally {
    reader.close();
  }
  return {
    requests: requests.length,
    failed,
    failures,
    duringApplies: requests.filter((request) => overlaps(request, applying)).length,
    acknowledgedWrites: written.size,
    lostWrites,
    applyMs: applying.map((window) => window.end - window.start),
    longestRequestMs: Math.max(0, ...requests.map((request) => request.end - request.start)),
  };
}

/**
 * One apply of a new `users` version in a copy of the example fleet: its package.json version set
 * to `version`, then the reconciler (what `npm start` and CI run). Throws when the apply fails.
 */
export async function applyUsersVersion(rootDir: string, endpoint: ApiEndpoint, version: string): Promise<void> {
  const manifest = join(rootDir, 'services/users/package.json');
  await writeFile(manifest, (await readFile(manifest, 'utf8')).replace(/"version": "[^"]+"/, `"version": "${version}"`));
  await deployFleet(rootDir, endpoint);
}

/** The reconciler on the fleet at `rootDir`, quietly; throws with its output when it fails. */
export async function deployFleet(rootDir: string, endpoint: ApiEndpoint): Promise<void> {
  const printed: string[] = [];
  const output = { out: (text: string) => printed.push(text), err: (text: string) => printed.push(text) };
  const outcome = await reconcile({ rootDir, target: 'local', endpoint, yes: true, output });
  if (outcome.plan.errors.length > 0 || outcome.result?.ok === false) throw new Error(`the apply failed:\n${printed.join('\n')}`);
}

/** Leaves only `users` in a copy of the example fleet (it calls no other service): smaller runtimes, quicker applies. */
export async function keepUsersAlone(rootDir: string): Promise<void> {
  for (const other of ['orders', 'notifications']) await rm(join(rootDir, 'services', other), { recursive: true, force: true });
}
