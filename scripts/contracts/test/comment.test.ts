import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorBody, openApiDocument, type Contract } from '@edgeops/contracts';
import { User, usersContract } from '@edgeops/contracts/contracts';
import { copyExampleFleet } from '@edgeops/scripts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../fleet/load.ts';
import { runGitHubCli } from '../../gitops/github/cli.ts';
import { reconcilerPlan } from '../../gitops/github/test/support/plans.ts';
import { renderContractSection } from '../comment.ts';
import { loadUsages, type ServiceUsage } from '../consumers.ts';
import { judge } from '../gate.ts';
import type { GateReport } from '../report.ts';

/** users without `createdAt` in getUser's 200 body, as a pull request might change it. */
const withoutCreatedAt: Contract = {
  ...usersContract,
  routes: { ...usersContract.routes, getUser: { ...usersContract.routes.getUser, responses: { 200: User.omit({ createdAt: true }), 404: ErrorBody } } },
};

let usages: ServiceUsage[];
let dir: string;
beforeAll(async () => {
  // The example fleet alone: services a user adds (and their bindings to users) never change this test.
  const example = await copyExampleFleet();
  try {
    usages = await loadUsages(await loadFleet(example.rootDir));
  } finally {
    await example.remove();
  }
  dir = await mkdtemp(join(tmpdir(), 'edgeops-contracts-comment-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function report(headVersion: string): GateReport {
  const base = { document: openApiDocument(usersContract, { version: '1.0.0' }), version: '1.0.0' };
  const head = { document: openApiDocument(withoutCreatedAt, { version: headVersion }), version: headVersion };
  return judge([{ service: 'users', base, head }], usages, new Set(), 'origin/main');
}

describe('contracts: the plan comment section', () => {
  it('lists each change with its class and the consumers to update, and says the bump is missing', () => {
    const text = renderContractSection(report('1.0.0'));
    expect(text).toContain('#### Contract changes · against `origin/main`');
    expect(text).toContain('**1 service changes a contract without the version bump it needs**');
    expect(text).toContain('**`users`** `1.0.0` → `1.0.0` · **needs a major bump** (try `2.0.0`)');
    expect(text).toContain('| **breaking** | `GET /users/{id}` | response 200 body | `createdAt` | removed | `orders` |');
  });

  it('with the major bump, warns that the consumer still runs the old contract at the edge', () => {
    const text = renderContractSection(report('2.0.0'));
    expect(text).toContain('Every changed contract carries its version bump.');
    expect(text).toContain('> `orders` still calls `users` with its old contract at the edge');
  });

  it('says so when nothing changed', () => {
    expect(renderContractSection({ base: 'origin/main', verdicts: [], ok: true })).toContain('No contract changes.');
  });

  it('is appended to the plan comment by `render --contracts`', async () => {
    const plan = join(dir, 'plan.json');
    const findings = join(dir, 'contracts.json');
    // A reconciler plan with nothing to do: the comment's own part stays short.
    await writeFile(plan, JSON.stringify(reconcilerPlan({ services: [{ service: 'users', status: 'unchanged', declared: '1.0.0', deployed: '1.0.0' }] })));
    await writeFile(findings, JSON.stringify(report('1.0.0')));
    const out: string[] = [];
    const code = await runGitHubCli(['render', '--plan', plan, '--contracts', findings], { env: {}, stdout: (text) => out.push(text), stderr: (text) => out.push(text) });
    expect(code, out.join('')).toBe(0);
    const body = out.join('');
    expect(body.indexOf('### edgeops plan')).toBeLessThan(body.indexOf('#### Contract changes'));
    expect(body).toContain('| **breaking** | `GET /users/{id}` | response 200 body | `createdAt` | removed | `orders` |');
  });

  it('refuses a findings file that is not one, naming the file and the field', async () => {
    const plan = join(dir, 'plan.json');
    const findings = join(dir, 'broken.json');
    await writeFile(plan, JSON.stringify(reconcilerPlan()));
    await writeFile(findings, JSON.stringify({ base: 'main', verdicts: [{ service: 'users' }], ok: true }));
    const out: string[] = [];
    const code = await runGitHubCli(['render', '--plan', plan, '--contracts', findings], { env: {}, stdout: (text) => out.push(text), stderr: (text) => out.push(text) });
    expect(code).toBe(1);
    expect(out.join('')).toContain(`error: ${findings}: not contract findings: verdicts.0.baseVersion:`);
  });
});
