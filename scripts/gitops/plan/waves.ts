import { actionService, type Action } from './action.ts';
import { ACTION_KINDS, PHASES } from './action-kinds.ts';
import type { Wave } from './plan.ts';

/**
 * Service-binding depth: a service nobody-it-binds-to-is-declared has level 0; otherwise one more
 * than the deepest service it binds to. Binding targets therefore get lower levels and go first.
 * Returns the services on a cycle separately (their order cannot satisfy the rule).
 */
export function dependencyLevels(dependsOn: Map<string, string[]>): { levels: Map<string, number>; cycle: string[] } {
  const levels = new Map<string, number>();
  const visiting = new Set<string>();
  const cycle = new Set<string>();
  const visit = (name: string): number => {
    const known = levels.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) {
      cycle.add(name);
      return 0;
    }
    visiting.add(name);
    let level = 0;
    for (const dep of dependsOn.get(name) ?? []) {
      if (dep === name || !dependsOn.has(dep)) continue;
      level = Math.max(level, visit(dep) + 1);
    }
    visiting.delete(name);
    levels.set(name, level);
    return level;
  };
  for (const name of [...dependsOn.keys()].sort()) visit(name);
  return { levels, cycle: [...cycle].sort() };
}

/** Groups actions into ordered waves: by phase, then (where the phase asks) by dependency level. */
export function toWaves(actions: Action[], levels: Map<string, number>): Wave[] {
  const waves: Wave[] = [];
  for (const phase of PHASES) {
    const inPhase = actions.filter((action) => ACTION_KINDS[action.kind].phase === phase);
    const byLevel = new Map<number, Action[]>();
    for (const action of inPhase) {
      const service = actionService(action);
      const level = ACTION_KINDS[action.kind].byDependencyLevel && service !== undefined ? (levels.get(service) ?? 0) : 0;
      byLevel.set(level, [...(byLevel.get(level) ?? []), action]);
    }
    for (const level of [...byLevel.keys()].sort((a, b) => a - b)) {
      waves.push({ phase, level, actions: byLevel.get(level) ?? [] });
    }
  }
  return waves;
}
