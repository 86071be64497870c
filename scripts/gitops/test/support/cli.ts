import { runCli } from '../../main.ts';
import type { TestEdge } from './edge.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** Everything printed, stdout then stderr. */
  all: string;
}

/** Runs the gitops CLI in-process against a test edge (target local unless `--target` is given). */
export async function gitops(rootDir: string, args: string[], edge: TestEdge, env: NodeJS.ProcessEnv = {}, endpointFile = edge.endpointFile): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const [command = 'plan', ...rest] = args;
  const code = await runCli([command, '--root', rootDir, ...rest], {
    output: { out: (text) => out.push(text), err: (text) => err.push(text) },
    env: { ...process.env, ...env },
    endpoint: endpointFile,
  });
  return { code, out: out.join('\n'), err: err.join('\n'), all: [...out, ...err].join('\n') };
}

/** The environment target cloudflare reads, pointed at the test edge. */
export function cloudflareEnv(edge: TestEdge): NodeJS.ProcessEnv {
  return { CLOUDFLARE_API_TOKEN: edge.endpoint.token, CLOUDFLARE_ACCOUNT_ID: edge.endpoint.accountId, CLOUDFLARE_API_BASE_URL: edge.endpoint.apiUrl };
}
