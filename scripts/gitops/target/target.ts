import { DEFAULT_EDGE_STATE_DIR, EndpointFileError, endpointPath, readEndpointFile, type EdgeEndpoint } from '../../cloudflare/endpoint.ts';
import { join } from 'node:path';
import type { ApiEndpoint } from '../api/client.ts';
import type { Target } from '../plan/plan.ts';

export const CLOUDFLARE_API_URL = 'https://api.cloudflare.com/client/v4';

/** What a missing endpoint file or a refused connection on target local means, and what to do. */
export const LOCAL_EDGE_NOT_RUNNING = 'the local edge is not running: start it with `npm start` or `npm run edge`';

/** The target cannot be used: said before any API call. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

export interface ResolvedTarget {
  target: Target;
  endpoint: ApiEndpoint;
  /** The lock file a running apply holds: one per target and environment (see docs/gitops.md "Locking"). */
  lockFile: string;
}

export interface TargetOptions {
  rootDir: string;
  env?: NodeJS.ProcessEnv;
  /** Local target: the edge's endpoint, or the `endpoint.json` to read it from (default `.edge/endpoint.json`). */
  endpoint?: ApiEndpoint | string;
  /** The fleet's environment the command works in (`production`, `staging`, `pr-12`): it names the apply lock. */
  environment: string;
}

async function localEndpoint(file: string): Promise<ApiEndpoint> {
  let endpoint: EdgeEndpoint | undefined;
  try {
    endpoint = await readEndpointFile(file);
  } catch (error) {
    if (error instanceof EndpointFileError) throw new TargetError(error.message);
    throw error;
  }
  if (!endpoint) throw new TargetError(`${LOCAL_EDGE_NOT_RUNNING} (${file} not found; plan, apply and status on target local talk to it)`);
  return { apiUrl: endpoint.apiUrl, accountId: endpoint.accountId, token: endpoint.token };
}

/** Where `--target` points: the local edge's endpoint file, or Cloudflare from the environment. */
export async function resolveTarget(target: Target, options: TargetOptions): Promise<ResolvedTarget> {
  const env = options.env ?? process.env;
  if (target === 'local') {
    const endpoint =
      typeof options.endpoint === 'object' ? options.endpoint : await localEndpoint(options.endpoint ?? endpointPath(join(options.rootDir, DEFAULT_EDGE_STATE_DIR)));
    const stateDir = typeof options.endpoint === 'string' ? join(options.endpoint, '..') : join(options.rootDir, DEFAULT_EDGE_STATE_DIR);
    return { target, endpoint, lockFile: join(stateDir, `gitops-apply.${options.environment}.lock`) };
  }
  const missing = ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new TargetError(`target cloudflare needs ${missing.join(' and ')} in the environment (optionally CLOUDFLARE_API_BASE_URL); nothing was called`);
  }
  return {
    target,
    endpoint: { apiUrl: env.CLOUDFLARE_API_BASE_URL || CLOUDFLARE_API_URL, accountId: env.CLOUDFLARE_ACCOUNT_ID ?? '', token: env.CLOUDFLARE_API_TOKEN ?? '' },
    lockFile: join(options.rootDir, '.gitops', `apply.${options.environment}.lock`),
  };
}
