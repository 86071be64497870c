/**
 * The workflow runner the workflow tests use, on a workflow written for it: `needs` order, status
 * functions, step outputs, job outputs, matrices, env levels and a failure stopping what needs it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promisify } from 'node:util';
import { runWorkflow, workflowCheckout } from './support/workflow-run.ts';

const execFileAsync = promisify(execFile);

const WORKFLOW = `
name: sample
on:
  push:
    branches: [main]
env:
  LEVEL: workflow
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      artifact: \${{ steps.make.outputs.artifact }}
    steps:
      - uses: actions/checkout@v5
      - id: make
        env:
          NAME: \${{ github.repository }}
        run: |
          echo "artifact=$NAME-$LEVEL" >> "$GITHUB_OUTPUT"
          echo "FROM_ENV=set-by-build" >> "$GITHUB_ENV"
      - run: echo "$FROM_ENV" > from-env.txt
  each:
    needs: build
    runs-on: ubuntu-latest
    strategy:
      matrix:
        env: [staging, production]
    steps:
      - run: echo "\${{ needs.build.outputs.artifact }} to \${{ matrix.env }}" >> deployed.txt
  broken:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - id: fail
        run: exit 3
      - name: after a failure
        run: echo never
      - name: always
        if: always() && steps.fail.outcome == 'failure'
        run: echo "cleaned" > cleaned.txt
  after-broken:
    needs: broken
    runs-on: ubuntu-latest
    steps:
      - run: echo never
  report:
    needs: [broken]
    if: always() && needs.broken.result == 'failure'
    runs-on: ubuntu-latest
    steps:
      - run: echo "reported" >> "$GITHUB_STEP_SUMMARY"
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workflow-run-test-'));
  await writeFile(join(dir, 'sample.yml'), WORKFLOW);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('workflow runner', () => {
  it('runs jobs in needs order with outputs, matrices, status functions and failure propagation', async () => {
    const run = await runWorkflow({
      workflow: join(dir, 'sample.yml'),
      event: { name: 'push', payload: { ref: 'refs/heads/main' } },
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      github: { repository: 'acme/fleet' },
    });
    expect(run.jobs.map((job) => [job.name, job.result])).toEqual([
      ['build', 'success'],
      ['each (staging)', 'success'],
      ['each (production)', 'success'],
      ['broken', 'failure'],
      ['after-broken', 'skipped'],
      ['report', 'success'],
    ]);
    expect(run.job('build')[0]?.outputs).toEqual({ artifact: 'acme/fleet-workflow' });
    expect(await readFile(join(dir, 'from-env.txt'), 'utf8')).toBe('set-by-build\n');
    expect(await readFile(join(dir, 'deployed.txt'), 'utf8')).toBe('acme/fleet-workflow to staging\nacme/fleet-workflow to production\n');
    expect(run.job('broken')[0]?.steps.map((step) => [step.name, step.outcome])).toEqual([
      ['exit 3', 'failure'],
      ['after a failure', 'skipped'],
      ['always', 'success'],
    ]);
    expect(run.job('report')[0]?.summary).toBe('reported\n');
  });

  it('refuses an event the workflow does not trigger on', async () => {
    await expect(
      runWorkflow({ workflow: join(dir, 'sample.yml'), event: { name: 'push', payload: { ref: 'refs/heads/feature' } }, cwd: dir, env: {} }),
    ).rejects.toThrow(/a push to refs\/heads\/feature does not trigger it/);
  });
});

describe('workflow checkout', () => {
  it('is a git repository of the example fleet where npm run reaches the repository scripts', async () => {
    const checkout = await workflowCheckout();
    try {
      const run = await runWorkflow({
        workflow: join(dir, 'sample.yml'),
        event: { name: 'push', payload: { ref: 'refs/heads/main' } },
        cwd: checkout.dir,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
        github: { repository: 'acme/fleet' },
      });
      expect(run.job('build')[0]?.result).toBe('success');
      const git = (...args: string[]) => execFileAsync('git', args, { cwd: checkout.dir });
      const base = (await git('rev-parse', 'HEAD')).stdout.trim();
      await writeFile(join(checkout.dir, 'services/users/CHANGED'), 'x');
      const sha = await checkout.commit('change users');
      expect(sha).toMatch(/^[0-9a-f]{40}$/);
      // origin holds main as first committed: the base a pull request's steps fetch.
      await git('fetch', '--no-tags', '--depth=1', 'origin', 'main');
      expect((await git('rev-parse', 'FETCH_HEAD')).stdout.trim()).toBe(base);
      // The reconciler's CLI runs through the checkout's symlinked scripts/ (it did nothing before).
      const help = await execFileAsync('npx', ['tsx', 'scripts/gitops/main.ts', '--help'], { cwd: checkout.dir, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
      expect(help.stdout).toContain('Usage: gitops');
    } finally {
      await checkout.remove();
    }
  });
});
