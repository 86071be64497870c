import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Schema } from '@edgeops/contracts';
import { DEFAULT_EDGE_STATE_DIR, endpointPath, readEndpointFile } from '../../cloudflare/endpoint.ts';
import { loadContracts } from '../../contracts/index.ts';
import { changedPaths, checkFleet, loadFleet, previewSet, selectEnvironment } from '../../fleet/index.ts';
import type { Target } from '../plan/plan.ts';
import { LOCAL_EDGE_NOT_RUNNING, TargetError } from '../target/target.ts';
import { environmentUrl, smokeChecks, type SmokeCall } from './checks.ts';
import { httpGet, HttpGetError } from './http-get.ts';
import type { SmokeReport, SmokeResult } from './report.ts';

/** Each call's deadline unless `--timeout` says otherwise. */
export const DEFAULT_SMOKE_TIMEOUT_MS = 10_000;

export interface SmokeOptions {
  rootDir: string;
  /** `--env`: default the top-level environment. */
  environment?: string;
  /** A preview (`pr-<n>`): the pull request's base, as for `apply`. */
  previewBase?: string;
  target: Target;
  /** Connect here instead of to each route host (target cloudflare); target local uses the edge's data plane. */
  origin?: string;
  /** Target local: the edge's endpoint.json (default `<root>/.edge/endpoint.json`). */
  endpointFile?: string;
  timeoutMs?: number;
}

/** The local edge's data plane, from its endpoint file. */
async function dataPlaneOrigin(file: string): Promise<string> {
  const endpoint = await readEndpointFile(file);
  if (!endpoint) throw new TargetError(`${LOCAL_EDGE_NOT_RUNNING} (${file} not found; the smoke test calls its data plane)`);
  return endpoint.url;
}

const MAX_ISSUES_SHOWN = 3;

/** Whether the body matches what the contract declares for its status. */
async function judge(call: SmokeCall, answer: { status: number; body: string }): Promise<Pick<SmokeResult, 'result' | 'detail'>> {
  if (answer.status < 200 || answer.status > 299) return { result: 'fail', detail: `expected a 2xx answer, got ${answer.status}${answer.body ? `: ${answer.body.slice(0, 200)}` : ''}` };
  const declared: Schema | null | undefined = call.route.responses[answer.status];
  if (declared === undefined) return { result: 'fail', detail: `status ${answer.status} is not declared by the contract` };
  if (declared === null) return answer.body === '' ? { result: 'pass', detail: 'no body, as declared' } : { result: 'fail', detail: `status ${answer.status} is declared without a body, got one` };
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return { result: 'fail', detail: `the body is not JSON: ${answer.body.slice(0, 200)}` };
  }
  const validated = await declared['~standard'].validate(body);
  if (!validated.issues) return { result: 'pass', detail: 'body valid against the contract' };
  const issues = validated.issues.map((issue) => `${(issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.') || '(body)'}: ${issue.message}`);
  return { result: 'fail', detail: `the body does not match the contract: ${issues.slice(0, MAX_ISSUES_SHOWN).join('; ')}${issues.length > MAX_ISSUES_SHOWN ? ` (+${issues.length - MAX_ISSUES_SHOWN} more)` : ''}` };
}

/**
 * The smoke test of one environment: every contract route that needs no input, of every service
 * the fleet deploys there, called on the environment's route host; each must answer 2xx with a body
 * valid against the contract. Configuration problems throw before any call.
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeReport> {
  const loaded = await loadFleet(options.rootDir);
  checkFleet(loaded);
  const previewServices = options.previewBase ? previewSet(loaded, await changedPaths(options.rootDir, options.previewBase)) : undefined;
  const fleet = await selectEnvironment(loaded, options.environment, previewServices ? { previewServices } : {});
  const { contracts } = await loadContracts(options.rootDir);
  const checks = await smokeChecks(fleet, contracts);
  const origin = options.target === 'local' ? await dataPlaneOrigin(options.endpointFile ?? endpointPath(join(options.rootDir, DEFAULT_EDGE_STATE_DIR))) : options.origin;
  const timeoutMs = options.timeoutMs ?? DEFAULT_SMOKE_TIMEOUT_MS;
  const limit = pLimit(8);
  const results = await Promise.all(
    checks.map((check) =>
      limit(async (): Promise<SmokeResult> => {
        if (check.kind === 'skip') return { service: check.service, ...(check.operation ? { operation: check.operation, method: 'GET' } : {}), ...(check.path ? { path: check.path } : {}), result: 'skip', detail: check.reason };
        const line = { service: check.service, operation: check.operation, method: check.route.method, path: check.route.path, url: check.url };
        try {
          const answer = await httpGet(check.url, { ...(origin ? { origin } : {}), timeoutMs });
          return { ...line, status: answer.status, ...(await judge(check, answer)) };
        } catch (error) {
          if (error instanceof HttpGetError) return { ...line, result: 'fail', detail: `no answer: ${error.message}` };
          throw error;
        }
      }),
    ),
  );
  const url = environmentUrl(fleet);
  return { environment: fleet.environment.name, target: options.target, ...(url ? { url } : {}), ok: results.every((line) => line.result !== 'fail'), results };
}
