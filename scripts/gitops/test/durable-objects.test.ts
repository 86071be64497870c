/**
 * The example fleet's Durable Object (users' SignupLimiter) through the reconciler and the local
 * edge: created by a `deploy-migrations` action, its objects' state kept across an edge restart,
 * a new code version (no migration) and a class rename (migration v2).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type Edge } from '../../edge/src/index.ts';
import { copyExampleFleet } from '../../fleet/testing.ts';
import { reconcile } from '../index.ts';
import { planActions, type Plan } from '../plan/plan.ts';

process.env.WRANGLER_SEND_METRICS = 'false';

let edge: Edge;
let stateDir: string;
let fleet: { rootDir: string; remove(): Promise<void> };
const printed: string[] = [];
const output = { out: (text: string) => printed.push(text), err: (text: string) => printed.push(text) };

async function start(): Promise<void> {
  edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'] });
}

async function apply(): Promise<Plan> {
  printed.length = 0;
  const outcome = await reconcile({ rootDir: fleet.rootDir, target: 'local', endpoint: { apiUrl: edge.apiUrl, accountId: edge.accountId, token: edge.token }, yes: true, output });
  expect(outcome.plan.errors).toEqual([]);
  expect(outcome.result?.ok, printed.join('\n')).toBe(true);
  return outcome.plan;
}

/** POST /users through the data plane (Host api.example.com): the status. */
function signUp(email: string): Promise<number> {
  const plane = new URL(edge.url);
  const body = JSON.stringify({ email, name: 'Sam' });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: plane.hostname, port: plane.port, path: '/users', method: 'POST', headers: { host: 'api.example.com', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function editFile(path: string, edit: (text: string) => string): Promise<void> {
  const file = join(fleet.rootDir, path);
  await writeFile(file, edit(await readFile(file, 'utf8')));
}

const bump = (version: string) => editFile('services/users/package.json', (text) => text.replace(/"version": "[^"]+"/, `"version": "${version}"`));
/** The users actions that upload or deploy code (routes and resources left out). */
const usersActions = (plan: Plan) =>
  planActions(plan).filter((action) => 'service' in action && action.service === 'users' && ['create-script', 'upload-version', 'deploy', 'deploy-migrations'].includes(action.kind));

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'gitops-durable-'));
  fleet = await copyExampleFleet();
  await start();
});

afterAll(async () => {
  await edge?.stop();
  await fleet?.remove();
  await rm(stateDir, { recursive: true, force: true });
});

describe('reconcile: Durable Objects of the example fleet', () => {
  it('durable objects: users is created with its SignupLimiter class (migration v1) and counts attempts per email', async () => {
    const plan = await apply();
    expect(usersActions(plan)).toMatchObject([{ kind: 'deploy-migrations', tag: '1.1.0', migrations: { new_tag: 'v1', steps: [{ new_sqlite_classes: ['SignupLimiter'] }] } }]);
    expect(await signUp('kim@example.com')).toBe(201);
    for (let tries = 2; tries <= 5; tries += 1) expect(await signUp('kim@example.com')).toBe(409);
  }, 240_000);

  it('durable objects: after an edge restart the count is still there (the 6th attempt is refused)', async () => {
    await edge.stop();
    await start();
    expect(await signUp('kim@example.com')).toBe(429);
    expect(await signUp('lee@example.com')).toBe(201);
  }, 240_000);

  it('durable objects: a new code version without a migration is a plain upload + deploy, and keeps the count', async () => {
    await editFile('services/users/src/index.ts', (text) => text.replace('try again later.', 'try again in an hour.'));
    await bump('1.2.0');
    const plan = await apply();
    expect(usersActions(plan).map((action) => action.kind)).toEqual(['upload-version', 'deploy']);
    expect(await signUp('kim@example.com')).toBe(429);
  }, 240_000);

  it('durable objects: a class renamed by migration v2 is planned as a tag change and keeps its objects', async () => {
    for (const file of ['services/users/src/signup-limiter.ts', 'services/users/src/index.ts', 'services/users/src/env.ts']) {
      await editFile(file, (text) => text.replaceAll('SignupLimiter', 'SignupCounter'));
    }
    await editFile('services/users/wrangler.toml', (text) =>
      `${text.replace('class_name = "SignupLimiter"', 'class_name = "SignupCounter"')}\n[[migrations]]\ntag = "v2"\nrenamed_classes = [{ from = "SignupLimiter", to = "SignupCounter" }]\n`,
    );
    await bump('1.3.0');
    const plan = await apply();
    expect(usersActions(plan)).toMatchObject([{ kind: 'deploy-migrations', tag: '1.3.0', migrations: { old_tag: 'v1', new_tag: 'v2' } }]);
    expect(printed.join('\n')).toContain('Durable Object migrations v1 → v2: renamed_classes SignupLimiter→SignupCounter');
    expect(await signUp('kim@example.com')).toBe(429);
    const scripts = (await (await fetch(`${edge.apiUrl}/accounts/${edge.accountId}/workers/scripts`, { headers: { authorization: `Bearer ${edge.token}` } })).json()) as { result: { id: string; migration_tag?: string }[] };
    expect(scripts.result.find((script) => script.id === 'users')?.migration_tag).toBe('v2');
  }, 240_000);
});
