import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../fleet/testing.ts';
import { copyRepo, removeCopy, runIn } from '../../new/test/support/repo-copy.ts';
import { documentedExamples, shellExamples, type ShellExample } from './support/shell-examples.ts';

/**
 * Every fenced shell example (```sh / ```bash) in README.md and docs/*.md is classified here:
 *
 * - `run`: this test runs it in bash (`-e -o pipefail`, as a user pasting it would stop at the
 *   first failure) in a temporary copy of the repository where `npm start` is serving the example
 *   fleet, and checks its exit code and output. The data plane's documented address
 *   (`http://127.0.0.1:8787`) is replaced by the one the test's edge listens on, and `substitute`
 *   fills the example's placeholders.
 * - `checked-elsewhere`: the named test file runs what the example shows.
 * - `manual`: why no test runs it.
 *
 * A new example fails `every example is classified` with its file:line and the line to add below.
 * Keys are the file and the example's first line (see `exampleKey`), so editing around an example
 * does not unclassify it.
 */
type Classification =
  | {
      kind: 'run';
      exitCode: number;
      /** What its stdout must match. */
      output: RegExp;
      /** Files (relative to the copy) the example writes, and what each must then hold, e.g. `{ 'plan.json': /^\{/ }`. */
      files?: Readonly<Record<string, RegExp>>;
      /** Placeholders to fill, e.g. `{ '<name>': 'users' }`. */
      substitute?: Readonly<Record<string, string>>;
      /** A two-terminal example: the part before `split` runs in the background first. */
      background?: Background;
    }
  | { kind: 'checked-elsewhere'; test: string }
  | { kind: 'manual'; reason: string };

interface Background {
  /** The first line of the foreground part, e.g. `# terminal 2`. */
  split: string;
  /** What the background part prints once it is ready; its first group fills `placeholder`. */
  ready: RegExp;
  placeholder: string;
  /** What the background part must have printed once stopped with Ctrl-C (SIGINT). */
  stopped: RegExp;
}

const EXAMPLES: Readonly<Record<string, Classification>> = {
  'README.md: npm install && npm start': { kind: 'checked-elsewhere', test: 'scripts/start/test/start.test.ts' },
  "README.md: curl -H 'Host: api.example.com' http://127.0.0.1:8787/users": {
    kind: 'run',
    exitCode: 0,
    output: /^\{"users":\[.*?\]\}\{"id":"[^"]+","email":"ada@example\.com","name":"Ada"/,
  },
  'README.md: # wrangler against the running edge': { kind: 'run', exitCode: 0, output: /Version\(s\):\s+\(100%\) [0-9a-f-]{36}/ },
  'docs/ci.md: # terminal 1: the fake; accepts the token in GITHUB_TOKEN and never prints it': {
    kind: 'run',
    exitCode: 0,
    output: /plan comment created on octo\/fleet#1: http:\/\/127\.0\.0\.1:\d+\/octo\/fleet\/pull\/1#issuecomment-\d+/,
    files: { 'plan.json': /^\{/ },
    background: {
      split: '# terminal 2',
      ready: /fake GitHub .* on http:\/\/127\.0\.0\.1:(\d+)/,
      placeholder: '<port>',
      stopped: /#1 comment \d+ by github-actions\[bot\]:\n[\s\S]*users/,
    },
  },
  'docs/local-edge.md: export CLOUDFLARE_API_BASE_URL=$(node -p "require(\'./.edge/endpoint.json\').apiUrl")': {
    kind: 'run',
    exitCode: 0,
    output: /Deployed users triggers[\s\S]*Version\(s\):\s+\(100%\) [0-9a-f-]{36}[\s\S]*\{"users":\[/,
  },
  'docs/new.md: npm run new -- <name> [--template http|queue|cron|durable] [--route <pattern>] [--bind <service>...] [--dry-run] [--yes] [--no-install]': {
    kind: 'manual',
    reason: 'a usage synopsis with placeholders, not a command; each flag is exercised by scripts/new/test',
  },
  'docs/new.md: npm run new -- billing --template http --bind users': { kind: 'checked-elsewhere', test: 'scripts/new/e2e/scaffold.test.ts' },
  'docs/contracts.md: npm run contracts': { kind: 'checked-elsewhere', test: 'scripts/contracts/test/gate.test.ts' },
  'docs/environments.md: npm run plan -- --env staging': { kind: 'checked-elsewhere', test: 'scripts/gitops/test/environments.test.ts' },
  'docs/environments.md: npm run apply -- --env pr-12 --base origin/main --yes': { kind: 'checked-elsewhere', test: 'scripts/gitops/test/environments.test.ts' },
  'docs/environments.md: id=$(npx tsx scripts/gitops/github/main.ts deployment start --env pr-12)': { kind: 'checked-elsewhere', test: 'scripts/gitops/github/test/deployments.test.ts' },
  'docs/environments.md: npm run smoke -- --env staging': { kind: 'checked-elsewhere', test: 'scripts/gitops/smoke/test/smoke.test.ts' },
  'docs/environments.md: npm start -- --env staging': { kind: 'checked-elsewhere', test: 'scripts/start/test/start.test.ts' },
  "docs/environments.md: curl -H 'Host: api.example.com' http://127.0.0.1:8787/users": { kind: 'checked-elsewhere', test: 'scripts/start/test/start.test.ts' },
  'docs/state.md: npx wrangler kv key put greeting hello --namespace-id <id> --remote [--metadata \'{"by":"ops"}\'] [--ttl 3600]': {
    kind: 'checked-elsewhere',
    test: 'scripts/edge/test/storage.test.ts',
  },
  'docs/environments.md: npx tsx scripts/gitops/github/main.ts environments': { kind: 'checked-elsewhere', test: 'scripts/gitops/github/test/pr-path.test.ts' },
};

/** Where the docs say the data plane listens; the test's edge listens on a free port instead. */
const DOCUMENTED_DATA_PLANE = 'http://127.0.0.1:8787';

const examples = documentedExamples(REPO_ROOT);

function addLine(example: ShellExample): string {
  return `  ${JSON.stringify(example.key)}: { kind: 'run' | 'checked-elsewhere' | 'manual', … },`;
}

describe('docs: shell examples are classified', () => {
  it('finds the examples: fenced sh/bash blocks, with their file and line', () => {
    const found = shellExamples('x.md', 'text\n```sh\nnpm test   # all\n```\n  ~~~bash\n  a\n  b\n  ~~~\n```json\n{}\n```\n```\nplain\n```\n');
    expect(found).toEqual([
      { file: 'x.md', line: 3, code: 'npm test   # all', key: 'x.md: npm test' },
      { file: 'x.md', line: 6, code: 'a\nb', key: 'x.md: a' },
    ]);
    expect(examples.length).toBeGreaterThanOrEqual(Object.keys(EXAMPLES).length);
  });

  it('every example is classified', () => {
    const unclassified = examples.filter((example) => EXAMPLES[example.key] === undefined);
    const message = unclassified
      .map((example) => `${example.file}:${example.line} is not classified; add it to EXAMPLES in scripts/docs/test/examples.test.ts:\n${addLine(example)}`)
      .join('\n');
    expect(unclassified.map((example) => `${example.file}:${example.line}`), message).toEqual([]);
  });

  it('every entry names an example that is still in the docs', () => {
    const keys = new Set(examples.map((example) => example.key));
    const stale = Object.keys(EXAMPLES).filter((key) => !keys.has(key));
    expect(stale, `no longer in README.md or docs/*.md; update or remove these EXAMPLES entries:\n${stale.join('\n')}`).toEqual([]);
  });

  it('checked-elsewhere names a test file that exists; manual gives a reason', () => {
    for (const [key, classification] of Object.entries(EXAMPLES)) {
      if (classification.kind === 'checked-elsewhere') {
        expect(classification.test, key).toMatch(/\.test\.ts$/);
        expect(existsSync(join(REPO_ROOT, classification.test)), `${key}: ${classification.test}`).toBe(true);
      }
      if (classification.kind === 'manual') expect(classification.reason.length, key).toBeGreaterThan(20);
    }
  });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm start` in the copy (its module, `scripts/start/main.ts`, run by tsx), on free ports. */
function startFleet(cwd: string): Started {
  const child = spawn(join(cwd, 'node_modules/.bin/tsx'), ['scripts/start/main.ts', '--api-port', '0', '--port', '0'], {
    cwd,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

/** How the runner's shell runs a step: a user pasting the block stops at the first failure. */
const BASH = ['--noprofile', '--norc', '-e', '-o', 'pipefail'];

async function script(dir: string, name: string, code: string): Promise<string> {
  const path = join(dir, `.docs-example-${name}.sh`);
  await writeFile(path, `${code}\n`);
  return path;
}

function collect(child: ChildProcess): Started {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  // Killed by a signal: the shell's convention, 128 + its number (130 for SIGINT).
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === null ? null : 128 + constants.signals[signal]))));
  return { child, output: () => text, exited };
}

/** The background terminal of a two-terminal example, in its own process group (what Ctrl-C reaches). */
function spawnBash(cwd: string, path: string): Started {
  return collect(spawn('bash', BASH.concat(path), { cwd, detached: true, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Ctrl-C in that terminal: SIGINT to its whole process group. */
function interrupt(started: Started): void {
  if (started.child.pid !== undefined && started.child.exitCode === null) process.kill(-started.child.pid, 'SIGINT');
}

/** The first group of `pattern` once the process has printed it; its output if it exits first. */
function printed(started: Started, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(started.output())?.[1];
      if (match !== undefined) {
        started.child.stdout?.off('data', check);
        resolve(match);
      }
    };
    started.child.stdout?.on('data', check);
    void started.exited.then((code) => reject(new Error(`exited with ${code} before printing ${pattern}:\n${started.output()}`)));
    check();
  });
}

const SERVING = /The fleet is serving on (http:\/\/127\.0\.0\.1:\d+)/;

const runnable = examples.flatMap((example) => {
  const classification = EXAMPLES[example.key];
  return classification?.kind === 'run' ? [{ example, classification }] : [];
});

describe('docs: the runnable examples, in a copy of the repository with `npm start` serving', () => {
  let copy: string;
  let fleet: Started;
  let dataPlane: string;

  beforeAll(async () => {
    copy = await copyRepo();
    fleet = startFleet(copy);
    dataPlane = await printed(fleet, SERVING);
  });

  afterAll(async () => {
    fleet?.child.kill('SIGINT');
    if (fleet) expect(await fleet.exited).toBe(130);
    if (copy) await removeCopy(copy);
  });

  for (const { example, classification } of runnable) {
    it(`${example.file}:${example.line} ${example.key.slice(example.file.length + 2)}`, async () => {
      let code = example.code.replaceAll(DOCUMENTED_DATA_PLANE, dataPlane);
      for (const [placeholder, value] of Object.entries(classification.substitute ?? {})) code = code.replaceAll(placeholder, value);
      const { background } = classification;
      let behind: Started | undefined;
      try {
        if (background) {
          const at = code.indexOf(background.split);
          expect(at, `no line ${background.split} in the example`).toBeGreaterThan(0);
          behind = spawnBash(copy, await script(copy, `${example.line}-background`, code.slice(0, at)));
          code = code.slice(at).replaceAll(background.placeholder, await printed(behind, background.ready));
        }
        expect(code, 'a placeholder is left: add it to `substitute`').not.toMatch(/<[a-z][a-z ]*>/);
        const ran = await runIn(copy, 'bash', BASH.concat(await script(copy, String(example.line), code)));
        const transcript = `exit ${ran.code}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`;
        expect(ran.code, transcript).toBe(classification.exitCode);
        expect(ran.stdout, transcript).toMatch(classification.output);
        for (const [file, content] of Object.entries(classification.files ?? {})) {
          expect(await readFile(join(copy, file), 'utf8'), `${file}\n${transcript}`).toMatch(content);
        }
      } finally {
        if (behind) interrupt(behind);
      }
      if (behind && background) {
        expect(await behind.exited, behind.output()).toBe(130);
        expect(behind.output()).toMatch(background.stopped);
      }
    }, 180_000);
  }
});
