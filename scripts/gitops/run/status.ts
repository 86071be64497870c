import Table from 'cli-table3';
import type { Plan } from '../plan/plan.ts';
import { planActions } from '../plan/plan.ts';
import { concernsService } from '../plan/action.ts';
import type { ObservedState } from '../state/observed.ts';
import type { DesiredState } from '../state/desired.ts';
import { describeTraffic, type ServiceTraffic } from './version-traffic.ts';

export interface StatusRow {
  service: string;
  git?: string;
  deployed?: string;
  routes: string[];
  drifted: boolean;
  why: string[];
  /** Per deployed version, the last window's requests and errors (absent when nothing is deployed). */
  traffic?: ServiceTraffic;
}

/** What runs where: per service, git's version vs the deployed one(s), its routes, and whether it drifted. */
export function statusRows(desired: DesiredState, observed: ObservedState, plan: Plan, traffic: ReadonlyMap<string, ServiceTraffic> = new Map()): StatusRow[] {
  const actions = [...planActions(plan), ...plan.skipped];
  return plan.services.map((service) => {
    const own = actions.filter((action) => concernsService(action, service.service));
    const routes = observed.routes.filter((route) => route.script === service.service).map((route) => route.pattern);
    const domains = observed.domains.filter((domain) => domain.service === service.service).map((domain) => `${domain.hostname} (custom domain)`);
    const declared = desired.services.find((candidate) => candidate.name === service.service);
    const served = traffic.get(service.service);
    return {
      service: service.service,
      ...(declared ? { git: declared.version } : {}),
      ...(service.deployed ? { deployed: service.deployed } : {}),
      routes: [...routes, ...domains].sort(),
      drifted: own.length > 0 || plan.errors.some((error) => error.service === service.service) || service.rollout?.state === 'rolled-back',
      why:
        service.status === 'delete'
          ? [`orphan: a managed script git no longer declares; ${plan.prune ? 'apply removes it' : 'removed only with --prune or [gitops] prune = true'}`]
          : [
              ...new Set([
                ...own.map((action) => action.reason),
                ...plan.errors.filter((error) => error.service === service.service).map((error) => error.message),
                ...(service.rollout ? [service.rollout.text] : []),
              ]),
            ],
      ...(served ? { traffic: served } : {}),
    };
  });
}

function trafficCell(traffic: ServiceTraffic | undefined): string {
  if (!traffic) return '-';
  return 'error' in traffic ? traffic.error : traffic.versions.map(describeTraffic).join('\n') || '-';
}

/** The table; `window` (e.g. `15m`) heads the traffic column. */
export function renderStatus(rows: StatusRow[], window: string): string {
  const table = new Table({ head: ['service', 'git', 'deployed', 'routes', 'in sync', `last ${window} per version`], style: { head: [], border: [] }, wordWrap: true });
  for (const row of rows) {
    table.push([
      row.service,
      row.git ?? '(not in git)',
      row.deployed ?? '(not deployed)',
      row.routes.join('\n') || '-',
      row.drifted ? `no: ${row.why.join('; ')}` : row.why.length > 0 ? `yes (${row.why.join('; ')})` : 'yes',
      trafficCell(row.traffic),
    ]);
  }
  const drifted = rows.filter((row) => row.drifted).length;
  return `${table.toString()}\n${drifted === 0 ? 'Everything matches git.' : `${drifted} of ${rows.length} services differ from git: run plan for details.`}`;
}
