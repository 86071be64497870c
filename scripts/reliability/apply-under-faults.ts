/**
 * An apply under a seeded fault schedule, on a local edge: the fleet's services get a new version,
 * the schedule's faults are armed on the control plane, and the apply must either converge or stop
 * cleanly (a reported failure, never a hang or a crash). Then, faults off, a rerun must converge
 * (nothing left to do after it), and a script the fleet does not manage must be untouched.
 */
import type { Edge } from '../edge/src/index.ts';
import { reconcile } from '../gitops/index.ts';
import { writeService, type FixtureService } from '../gitops/synthetic/fleet.ts';
import { describeSchedule, faultSchedule } from './fault-schedule.ts';

export interface FaultRun {
  seed: number;
  schedule: string;
  /** What the apply under faults did. */
  first: 'converged' | 'stopped';
  /** Its failure, when it stopped. */
  reason?: string;
  /** The rerun without faults applied and left nothing to do. */
  rerunConverged: boolean;
  unmanagedUntouched: boolean;
  /** Requests the faults disturbed. */
  disturbed: number;
}

const quiet = { out: () => undefined, err: () => undefined };

/** The edge's API as a script owner would call it (the unmanaged Worker's record). */
async function api(edge: Edge, method: string, path: string, body?: FormData | Blob): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Bearer ${edge.token}`, ...(body instanceof Blob ? { 'content-type': body.type } : {}) };
  const response = await fetch(`${edge.apiUrl}/accounts/${edge.accountId}${path}`, { method, headers, ...(body ? { body } : {}) });
  const envelope = (await response.json()) as { success: boolean; result: unknown; errors: unknown[] };
  if (!envelope.success) throw new Error(`${method} ${path}: ${JSON.stringify(envelope.errors)}`);
  return envelope.result;
}

const UNMANAGED_SOURCE = 'export default { fetch() { return new Response("not managed by the fleet"); } };';

/**
 * Deploys a Worker no fleet declares (someone else's on the account), on `route` if given, and
 * returns how to read its deployments back.
 */
export async function deployUnmanaged(edge: Edge, name: string, source = UNMANAGED_SOURCE, route?: string): Promise<() => Promise<string>> {
  const form = new FormData();
  form.set('metadata', JSON.stringify({ main_module: 'index.js', compatibility_date: '2025-01-01' }));
  form.set('index.js', new File([source], 'index.js', { type: 'application/javascript+module' }));
  await api(edge, 'PUT', `/workers/scripts/${name}`, form);
  if (route) {
    const routes = new Blob([JSON.stringify([{ pattern: route }])], { type: 'application/json' });
    await api(edge, 'PUT', `/workers/scripts/${name}/routes`, routes);
  }
  return async () => JSON.stringify(await api(edge, 'GET', `/workers/scripts/${name}/deployments`));
}

async function converged(rootDir: string, edge: Edge): Promise<{ ok: boolean; reason?: string }> {
  try {
    const outcome = await reconcile({ rootDir, target: 'local', endpoint: { apiUrl: edge.apiUrl, accountId: edge.accountId, token: edge.token }, yes: true, output: quiet });
    if (outcome.plan.errors.length > 0) return { ok: false, reason: `plan errors: ${outcome.plan.errors.map((error) => error.message).join('; ')}` };
    if (outcome.result && !outcome.result.ok) return { ok: false, reason: outcome.result.results.filter((result) => result.status === 'failed').map((result) => result.error ?? result.status).join('; ') };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Runs seed `seed` over `services` (given a new version each run) in `rootDir`, on `edge`. */
export async function applyUnderFaults(edge: Edge, rootDir: string, services: FixtureService[], seed: number, unmanaged: () => Promise<string>): Promise<FaultRun> {
  for (const service of services) await writeService(rootDir, { ...service, version: `1.0.${seed}`, message: `seed ${seed}` });
  const before = await unmanaged();
  const schedule = faultSchedule(seed);
  edge.faults.clear();
  edge.faults.clearLog();
  for (const rule of schedule) edge.faults.add(rule);
  const first = await converged(rootDir, edge);
  edge.faults.clear();
  const disturbed = edge.faults.log().filter((entry) => entry.fault !== undefined).length;
  const rerun = await converged(rootDir, edge);
  // Converged: a plan now finds nothing to do (reconcile applies nothing and reports no result).
  const settled = rerun.ok ? (await reconcile({ rootDir, target: 'local', endpoint: { apiUrl: edge.apiUrl, accountId: edge.accountId, token: edge.token }, yes: true, output: quiet })).result === undefined : false;
  return {
    seed,
    schedule: describeSchedule(schedule),
    first: first.ok ? 'converged' : 'stopped',
    ...(first.reason ? { reason: first.reason } : {}),
    rerunConverged: rerun.ok && settled,
    unmanagedUntouched: (await unmanaged()) === before,
    disturbed,
  };
}
