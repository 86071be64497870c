/**
 * Runs the real wrangler CLI against an edge, isolated from any real credentials: HOME and XDG
 * directories point into a temporary folder, metrics are off, CI mode is on. The client says
 * which wrangler runs on which Node.
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { WRANGLER_CLIENTS, type WranglerClient } from './wrangler-clients.ts';

const PINNED_CLIENT: WranglerClient = WRANGLER_CLIENTS[0]!;

export interface WranglerTarget {
  apiUrl: string;
  token: string;
  accountId: string;
}

export interface WranglerResult {
  code: number | null;
  stdout: string;
  stderr: string;
  output: string;
}

/** Runs a wrangler CLI against the target; `client` defaults to the one this repository pins (4.86 on this Node). */
export async function runWrangler(args: readonly string[], options: { cwd: string; home: string; target: WranglerTarget; client?: WranglerClient; input?: string }): Promise<WranglerResult> {
  const client = options.client ?? PINNED_CLIENT;
  await mkdir(join(options.home, '.config'), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: [dirname(client.node), process.env.PATH].join(delimiter),
    HOME: options.home,
    XDG_CONFIG_HOME: join(options.home, '.config'),
    XDG_CACHE_HOME: join(options.home, '.cache'),
    XDG_DATA_HOME: join(options.home, '.local', 'share'),
    CI: 'true',
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_API_BASE_URL: options.target.apiUrl,
    CLOUDFLARE_API_TOKEN: options.target.token,
    CLOUDFLARE_ACCOUNT_ID: options.target.accountId,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(client.node, [client.script, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(options.input ?? '');
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, output }));
  });
}
