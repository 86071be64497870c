import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareClient } from '../api/client.ts';
import { listSecretNames } from '../api/cloudflare.ts';
import { secretEnvName } from '../config/secret-env.ts';
import { cloudflareEnv, gitops, type CliRun } from './support/cli.ts';
import { dataPlaneGet, startTestEdge, type TestEdge } from './support/edge.ts';
import { createFixtureFleet, exampleServices, type FixtureService } from '../synthetic/fleet.ts';

let edge: TestEdge;
const SECRET_VALUE = 'sup3r-s3cret-VALUE-42';

beforeAll(async () => {
  edge = await startTestEdge();
});
afterAll(async () => {
  await edge?.cleanup();
});

/** Nothing secret in what a run printed: the secret value, the token, or an Authorization header. */
function expectNothingSecret(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain(edge.endpoint.token);
    expect(text.toLowerCase()).not.toContain('authorization');
    expect(text.toLowerCase()).not.toContain('bearer');
  }
}

const all = (...runs: CliRun[]) => runs.map((run) => run.all);

describe('reconciler against the local edge: secrets', () => {
  it('secrets: plan fails when a declared secret is missing on the account and not supplied; apply uploads a supplied value without printing it', async () => {
    const [users, ...rest] = exampleServices('s') as [FixtureService, ...FixtureService[]];
    const rootDir = await createFixtureFleet([{ ...users, edgeops: { secrets: ['API_KEY'] } }, ...rest]);
    const envName = secretEnvName('s-users', 'API_KEY');
    expect(envName).toBe('EDGEOPS_SECRET_S_USERS_API_KEY');

    edge.edge.faults.clearLog();
    const missing = await gitops(rootDir, ['plan'], edge, { [envName]: '' });
    expect(missing.code).toBe(1);
    expect(missing.out).toContain(`s-users: services/s-users/package.json: edgeops.secrets: secret "API_KEY" is declared but missing on the account and not supplied: set ${envName} in the environment`);
    expect(edge.edge.faults.log().filter((entry) => entry.method !== 'GET')).toEqual([]);

    const supplied = { [envName]: SECRET_VALUE };
    const planFile = join(rootDir, 'plan.json');
    const plan = await gitops(rootDir, ['plan', '--json', '--out', planFile], edge, supplied);
    expect(plan.code).toBe(2);
    const applied = await gitops(rootDir, ['apply', '--yes', '--json'], edge, supplied);
    expect(applied.code, applied.all).toBe(0);
    const appliedText = await gitops(rootDir, ['plan'], edge, supplied);
    expect(appliedText.code).toBe(0);

    expect(await listSecretNames(new CloudflareClient(edge.endpoint), 's-users')).toEqual(['API_KEY']);
    expect((await dataPlaneGet(edge.edge, 'http://example.com/s/users')).json()).toMatchObject({ apiKeyLength: SECRET_VALUE.length });
    expectNothingSecret(...all(missing, plan, applied, appliedText), await readFile(planFile, 'utf8'));

    const laterWithoutValue = await gitops(rootDir, ['plan'], edge, { [envName]: '' });
    expect(laterWithoutValue.code, 'a secret already on the account needs no value').toBe(0);
  });

  it('secrets: tokens and Authorization headers never appear in output, errors, --json or the client itself', async () => {
    const rootDir = await createFixtureFleet(exampleServices('t'));
    const env = cloudflareEnv(edge);
    edge.edge.faults.add({ path: '/accounts/*/workers/scripts/t-users', method: 'PUT', action: { kind: 'status', status: 400, message: 'rejected for the test' } });
    const failed = await gitops(rootDir, ['apply', '--target', 'cloudflare', '--yes'], edge, env);
    const failedJson = await gitops(rootDir, ['apply', '--target', 'cloudflare', '--yes', '--json'], edge, env);
    edge.edge.faults.clear();
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('rejected for the test');
    const unauthorized = await gitops(rootDir, ['plan', '--target', 'cloudflare', '--json'], edge, { ...env, CLOUDFLARE_API_TOKEN: 'wrong-token-VALUE-123' });
    expect(unauthorized.code).toBe(1);
    expect(unauthorized.all).not.toContain('wrong-token-VALUE-123');
    const client = new CloudflareClient(edge.endpoint);
    expectNothingSecret(...all(failed, failedJson, unauthorized), inspect(client), JSON.stringify(client), String(client));
  });
});
