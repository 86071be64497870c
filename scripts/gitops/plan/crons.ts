import type { ActionOf } from './action.ts';
import type { DesiredService } from '../state/desired.ts';
import type { ObservedScript } from '../state/observed.ts';

const sameCrons = (a: string[], b: string[]) => [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * The cron triggers of a service: put (the whole list) when the account's differ from git's.
 * Observe reads them for every service that declares crons or whose version changes, so "not
 * read" means "unchanged since its version was deployed" (the content hash covers the crons):
 * nothing to do. Only a script being adopted (never read) gets git's list put, as it is.
 */
export function planCrons(service: DesiredService, script: ObservedScript | undefined, adopting: boolean): ActionOf<'put-schedules'> | undefined {
  const current = script?.schedules;
  if (current === undefined ? !adopting : sameCrons(current, service.crons)) return undefined;
  const reason =
    service.crons.length > 0
      ? `cron triggers ${service.crons.join(', ')}${current && current.length > 0 ? ` (now ${current.join(', ')})` : ''}`
      : current && current.length > 0
        ? `cron triggers ${current.join(', ')} are no longer declared`
        : 'adopted script: no cron triggers declared';
  return { kind: 'put-schedules', service: service.name, crons: [...service.crons], reason };
}
