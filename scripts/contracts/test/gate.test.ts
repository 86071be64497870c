import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateReport } from '../report.ts';
import { TempRepo, type Ran } from './support/temp-repo.ts';

/**
 * The gate on real git history: a copy of this fleet in a temporary repository, a branch per pull
 * request, the contract edited in its source, `npm run contracts` run as a user runs it.
 */
let repo: TempRepo;
beforeAll(async () => {
  repo = await TempRepo.create();
  // The figures below name versions: the copy starts every example service at 1.0.0, whatever the fleet is at.
  for (const service of ['users', 'orders', 'notifications']) await repo.setVersion(service, '1.0.0');
  const generated = await repo.contracts();
  if (generated.code !== 0) throw new Error(`npm run contracts failed in the copy:\n${generated.stderr}`);
  await repo.commitAll('example services at 1.0.0');
});
afterAll(() => repo?.dispose());

const explain = (ran: Ran) => `exit ${ran.code}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`;

const USER_CREATED_AT = "  name: z.string().min(1).max(200),\n  createdAt: z.iso.datetime(),\n";

async function branch(name: string): Promise<void> {
  await repo.git('checkout', '--quiet', '-B', name, 'main');
}

/** `npm run contracts -- --check` with `args` (by default against main), which must exit with `code`. */
async function check(code: number, args: string[] = ['--base', 'main']): Promise<Ran> {
  const ran = await repo.contracts('--check', ...args);
  expect(ran.code, explain(ran)).toBe(code);
  return ran;
}

async function regenerateAndCommit(message: string): Promise<void> {
  const generated = await repo.contracts();
  expect(generated.code, explain(generated)).toBe(0);
  await repo.commitAll(message);
}

describe('contracts gate: a contract change must carry its version bump', () => {
  it('passes a branch with no contract change', async () => {
    await branch('no-change');
    const ran = await check(0);
  });

  it('fails a removed response field without a major bump, naming service, route, location, field and consumers', async () => {
    await branch('remove-field');
    await repo.edit('shared/src/contracts/users.ts', USER_CREATED_AT, '  name: z.string().min(1).max(200),\n');
    await regenerateAndCommit('users: drop createdAt');

    const ran = await check(1);
    expect(ran.stderr).toContain('error: users: needs a major bump of services/users/package.json: 1.0.0 → 1.0.0 is no bump (try 2.0.0)');
    expect(ran.stderr).toContain('users: GET /users/{id} response 200 body field createdAt: removed (breaking); consumers: orders');
    expect(ran.stderr).toContain('users: GET /users response 200 body field users[].createdAt: removed (breaking); consumers: orders');
  });

  it('still fails it with a minor bump', async () => {
    await repo.setVersion('users', '1.1.0');
    await regenerateAndCommit('users 1.1.0');
    const ran = await check(1);
    expect(ran.stderr).toContain('1.0.0 → 1.1.0 is a minor bump (try 2.0.0)');
  });

  it('passes it with a major bump, and warns that a consumer still runs the old contract', async () => {
    await repo.setVersion('users', '2.0.0');
    await regenerateAndCommit('users 2.0.0');
    const ran = await check(0, ['--base', 'main', '--out', 'contracts.json']);
    expect(ran.stdout).toContain('users: 1.0.0 → 2.0.0');
    expect(ran.stdout).toContain('warning: orders still uses the old users contract at the edge');

    const report = JSON.parse(await readFile(join(repo.dir, 'contracts.json'), 'utf8')) as GateReport;
    expect(report.ok).toBe(true);
    expect(report.verdicts.map((verdict) => [verdict.service, verdict.required, verdict.bump, verdict.stillOnOldContract])).toEqual([['users', 'major', 'major', ['orders']]]);
  });

  it('does not warn when the consumer is bumped in the same change', async () => {
    await repo.setVersion('orders', '1.0.1');
    await regenerateAndCommit('orders follows users 2.0.0');
    const ran = await check(0);
    expect(ran.stdout).not.toContain('warning');
  });

  it('fails an additive change without a bump, and passes it with a minor bump', async () => {
    await branch('add-field');
    await repo.edit('shared/src/contracts/users.ts', USER_CREATED_AT, `${USER_CREATED_AT}  updatedAt: z.iso.datetime().optional(),\n`);
    await regenerateAndCommit('users: updatedAt');
    const unbumped = await check(1);
    expect(unbumped.stderr).toContain('error: users: needs a minor bump of services/users/package.json: 1.0.0 → 1.0.0 is no bump (try 1.1.0)');
    expect(unbumped.stderr).toContain('users: GET /users/{id} response 200 body field updatedAt: added as optional (non-breaking)');

    await repo.setVersion('users', '1.1.0');
    await regenerateAndCommit('users 1.1.0');
    const bumped = await check(0);
    expect(bumped.stdout).toContain('users: 1.0.0 → 1.1.0, 3 contract changes (minor bump needed, ok)');
  });

  it('names the queue consumers of a removed event field', async () => {
    await branch('event-field');
    await repo.edit('shared/src/contracts/orders.ts', '  totalCents: z.number().int(),\n  createdAt: z.iso.datetime(),\n  requestId', '  createdAt: z.iso.datetime(),\n  requestId');
    await regenerateAndCommit('orders: event without totalCents');
    const ran = await check(1);
    expect(ran.stderr).toContain('orders: event orderCreated body field totalCents: removed (breaking); consumers: notifications');
  });

  it('fails when a contract is edited without regenerating its document', async () => {
    await branch('stale');
    await repo.edit('shared/src/contracts/users.ts', USER_CREATED_AT, `${USER_CREATED_AT}  nickname: z.string().optional(),\n`);
    await repo.commitAll('users: nickname, document not regenerated');
    const ran = await check(1, []);
    expect(ran.stderr).toContain('error: services/users/openapi.json is stale (its contract or version changed): run `npm run contracts` and commit it');
  });

  it('refuses a base ref that does not exist, saying how to fetch it', async () => {
    const ran = await check(1, ['--base', 'origin/nope']);
    expect(ran.stderr).toContain('base ref "origin/nope" is not a commit in this repository; fetch it first');
  });
});
