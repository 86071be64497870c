import { spawn } from 'node:child_process';

/** What `npm install` is run with: no audit or funding noise, and the local cache first (works offline once deps are cached). */
export const NPM_INSTALL_ARGS = ['install', '--no-audit', '--no-fund', '--prefer-offline'];

export interface InstallResult {
  ok: boolean;
  /** Combined stdout and stderr, shown only when it failed. */
  output: string;
  ms: number;
}

/** Runs `npm install` at the repository root, so the new workspace is linked into node_modules and package-lock.json. */
export function npmInstall(rootDir: string): Promise<InstallResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', NPM_INSTALL_ARGS, {
      cwd: rootDir,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ ok: false, output: `${output}${error.message}`, ms: Date.now() - started }));
    child.on('close', (code) => resolve({ ok: code === 0, output, ms: Date.now() - started }));
  });
}
