import { ACTION_KINDS, PHASES, VERB_SYMBOLS } from '../plan/action-kinds.ts';
import type { ActionKind } from '../plan/action.ts';

/** docs/gitops.md's action table, rendered from the action registry (a test keeps the two equal). */
export function renderActionTable(): string {
  const kinds = (Object.keys(ACTION_KINDS) as ActionKind[]).sort(
    (a, b) => PHASES.indexOf(ACTION_KINDS[a].phase) - PHASES.indexOf(ACTION_KINDS[b].phase),
  );
  const rows = kinds.map((kind) => {
    const definition = ACTION_KINDS[kind];
    return `| \`${VERB_SYMBOLS[definition.verb]}\` | \`${kind}\` | ${definition.phase} | ${definition.description} |`;
  });
  return ['| | action | wave | what it does |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
