import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../fleet/testing.ts';

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

/**
 * A temporary copy of the repository to scaffold into: its files, and node_modules hard-linked (a
 * fraction of a second, no disk) so `npm install` in the copy links the new workspace for real.
 * The files npm and vitest rewrite in place (`.package-lock.json`, `.vite`) are real copies or left
 * out, so nothing written in the copy reaches the original.
 */
export async function copyRepo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'edgeops-new-'));
  for (const path of await repoFiles()) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await cp(join(REPO_ROOT, path), join(dir, path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error; // tracked but deleted in the working tree
    });
  }
  await run('cp', ['-al', join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules')]);
  await rm(join(dir, 'node_modules/.vite'), { recursive: true, force: true });
  await rm(join(dir, 'node_modules/.package-lock.json'), { force: true });
  await cp(join(REPO_ROOT, 'node_modules/.package-lock.json'), join(dir, 'node_modules/.package-lock.json'));
  return dir;
}

/** Every file under `dir` but node_modules, with a hash of its contents: compare two to prove nothing was written. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const path = relative(dir, join(entry.parentPath, entry.name));
    if (path.split('/').includes('node_modules')) continue;
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

/**
 * The generated files under the root tsconfig's exact compiler options (what `tsc -p tsconfig.json`
 * applies to them), following their imports; other work in progress in the copy plays no part.
 */
export async function tscRootOptions(cwd: string, names: string[]): Promise<Ran> {
  const include = names.flatMap((name) => [`services/${name}/test/**/*.ts`, `shared/src/contracts/${name}.ts`]);
  await writeFile(join(cwd, 'tsconfig.generated.json'), JSON.stringify({ extends: './tsconfig.json', include }));
  try {
    return await runIn(cwd, 'npx', ['tsc', '-p', 'tsconfig.generated.json']);
  } finally {
    await rm(join(cwd, 'tsconfig.generated.json'));
  }
}

export async function removeCopy(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
