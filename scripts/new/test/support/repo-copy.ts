import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { EXAMPLE_SERVICES, REPO_ROOT } from '../../../fleet/testing.ts';

const run = promisify(execFile);

/**
 * The repository's own files: what git tracks and the new files it does not ignore (the working
 * tree as it would be committed), plus this tool (which may not be committed yet).
 */
async function repoFiles(): Promise<string[]> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  const tracked = stdout.split('\0').filter((path) => path !== '');
  const own = (await readdir(join(REPO_ROOT, 'scripts/new'), { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)));
  return [...new Set([...tracked, ...own])];
}

const CONTRACTS_INDEX = 'shared/src/contracts/index.ts';

/** A service the user added (its folder or its contract), not one of the example fleet's. */
function isAddedService(path: string): boolean {
  const [top, second, third, fourth] = path.split('/');
  if (top === 'services' && second !== undefined && third !== undefined) return !EXAMPLE_SERVICES.includes(second);
  const contract = top === 'shared' && second === 'src' && third === 'contracts' && fourth?.endsWith('.ts') ? fourth.slice(0, -3) : undefined;
  return contract !== undefined && contract !== 'index' && !EXAMPLE_SERVICES.includes(contract);
}

/** The contracts index without the export lines of services the user added. */
async function exampleContractsIndex(): Promise<string> {
  const index = await readFile(join(REPO_ROOT, CONTRACTS_INDEX), 'utf8');
  const exported = /^export \* from '\.\/(.+)\.ts';$/;
  return index
    .split('\n')
    .filter((line) => {
      const module = exported.exec(line)?.[1];
      return module === undefined || EXAMPLE_SERVICES.includes(module);
    })
    .join('\n');
}

/**
 * A temporary copy of the repository to scaffold into: its files, and node_modules hard-linked (a
 * fraction of a second, no disk) so `npm install` in the copy links the new workspace for real.
 * The files npm and vitest rewrite in place (`.package-lock.json`, `.vite`) are real copies or left
 * out, so nothing written in the copy reaches the original. Its fleet is the example fleet alone:
 * services the user added (folders, contracts, index lines) are left out, so they never change a test.
 */
export async function copyRepo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'edgeops-new-'));
  for (const path of (await repoFiles()).filter((file) => !isAddedService(file))) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await cp(join(REPO_ROOT, path), join(dir, path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error; // tracked but deleted in the working tree
    });
  }
  await writeFile(join(dir, CONTRACTS_INDEX), await exampleContractsIndex());
  await run('cp', ['-al', join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules')]);
  await rm(join(dir, 'node_modules/.vite'), { recursive: true, force: true });
  await rm(join(dir, 'node_modules/.package-lock.json'), { force: true });
  await cp(join(REPO_ROOT, 'node_modules/.package-lock.json'), join(dir, 'node_modules/.package-lock.json'));
  // A repository of its own, like a fresh clone: tools and tests that ask git (this file, too) work in the copy.
  await run('git', ['init', '--quiet'], { cwd: dir });
  await run('git', ['add', '--all'], { cwd: dir });
  return dir;
}

export interface RepoCopy {
  copy: string;
  /** The copy's {@link snapshot} as it was made. */
  before: Map<string, string>;
}

/** This test file's copy of the repository ({@link copyRepo}), made before its tests and removed after them. */
export function withRepoCopy(onReady: (made: RepoCopy) => unknown): void {
  let copy: string | undefined;
  beforeAll(async () => {
    copy = await copyRepo();
    await onReady({ copy, before: await snapshot(copy) });
  });
  afterAll(async () => {
    if (copy) await removeCopy(copy);
  });
}

/** Every file under `dir` but node_modules and .git, with a hash of its contents: compare two to prove nothing was written. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const path = relative(dir, join(entry.parentPath, entry.name));
    const segments = path.split('/');
    if (segments.includes('node_modules') || segments[0] === '.git') continue;
    files.set(path, entry.isFile() ? createHash('sha256').update(await readFile(join(dir, path))).digest('hex') : 'dir');
  }
  return files;
}

/** The environment for a child process: no vitest worker variables leaking into a nested vitest. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TINYPOOL|NODE_ENV$)/.test(key)) env[key] = value;
  }
  return env;
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command in `cwd` with stdin closed (not a terminal), collecting its output. */
export function runIn(cwd: string, command: string, args: string[]): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, ms: Date.now() - started }));
  });
}

/** `npm run new -- <args>` in the copy, exactly as a user types it. */
export const npmRunNew = (cwd: string, args: string[]) => runIn(cwd, 'npm', ['run', '--silent', 'new', '--', ...args]);

/** The new service's own tests, in workerd with the whole fleet of the copy. */
export const vitestServices = (cwd: string, names: string[]) =>
  runIn(cwd, 'npx', ['vitest', 'run', '--reporter=verbose', ...names.map((name) => `services/${name}`)]);

/** Its Worker source under the service's own tsconfig (workers-types, strict). */
export const tscService = (cwd: string, name: string) => runIn(cwd, 'npx', ['tsc', '-p', `services/${name}`]);

/** `tsc` over a tsconfig written into the copy for this run only, so other work in progress in the copy plays no part. */
async function tscWith(cwd: string, config: object): Promise<Ran> {
  const file = `tsconfig.generated-${process.pid}-${Date.now()}.json`;
  await writeFile(join(cwd, file), JSON.stringify({ extends: './tsconfig.json', ...config }));
  try {
    return await runIn(cwd, 'npx', ['tsc', '-p', file]);
  } finally {
    await rm(join(cwd, file));
  }
}

/** The generated tests and contracts under the root tsconfig's exact compiler options (what `tsc -p tsconfig.json` applies to them), following their imports. */
export const tscRootOptions = (cwd: string, names: string[]) =>
  tscWith(cwd, { include: names.flatMap((name) => [`services/${name}/test/**/*.ts`, `shared/src/contracts/${name}.ts`]) });

/** The generated Worker source of several services at once, under the options each service's own tsconfig.json sets (workers-types, strict). */
export async function tscWorkers(cwd: string, names: string[]): Promise<Ran> {
  const own = JSON.parse(await readFile(join(cwd, 'services', names[0]!, 'tsconfig.json'), 'utf8')) as { compilerOptions: object };
  return tscWith(cwd, { compilerOptions: own.compilerOptions, include: names.map((name) => `services/${name}/src/**/*.ts`) });
}

export async function removeCopy(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
