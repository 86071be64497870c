import type { ScaffoldPlan } from './plan.ts';

function formatWrites(plan: ScaffoldPlan, heading: string): string {
  return [
    heading,
    '',
    'Would write:',
    ...plan.files.map((file) => `  + ${file.path}`),
    'Would change:',
    ...plan.edits.flatMap((edit) => [`  ~ ${edit.path}`, ...edit.added.map((line) => `      + ${line}`)]),
    '',
    ...formatService(plan),
    '  then: npm install (links the new workspace)',
  ].join('\n');
}

/** What a dry run would write and change. */
export function formatDryRun(plan: ScaffoldPlan): string {
  return formatWrites(plan, `Dry run: would create service "${plan.request.name}" from the ${plan.request.template} template. Nothing was written.`);
}

/** What the confirmation prompt shows before anything is written. */
export function formatConfirmation(plan: ScaffoldPlan): string {
  return formatWrites(plan, `About to create service "${plan.request.name}" from the ${plan.request.template} template.`);
}

function formatService(plan: ScaffoldPlan): string[] {
  return [
    `Route:     ${plan.route.pattern} (zone ${plan.route.zoneName})`,
    `Endpoints: ${plan.endpoints.join(', ')}`,
    ...(plan.bindings.length > 0
      ? [`Binds:     ${plan.bindings.map((bound) => `${bound.binding} → ${bound.service} (${bound.contractExport}.${bound.use.operation})`).join(', ')}`]
      : []),
    ...plan.notes.map((note) => `Note:      ${note}`),
  ];
}

/** The summary after a real scaffold: what was created and what to run next. */
export function formatCreated(plan: ScaffoldPlan, installed: boolean): string {
  const { name, template } = plan.request;
  return [
    `Created service "${name}" (${template} template, version 0.1.0): ${plan.files.length} files, contract exported from shared/src/contracts/index.ts.`,
    ...formatService(plan),
    '',
    'Next:',
    ...(installed ? [] : ['  npm install                      # link the new workspace']),
    `  npx vitest run services/${name}   # its tests, in workerd with the whole fleet`,
    '  npm test                         # typecheck and every test',
    '  npm run dev                      # serve the fleet locally, reload on save',
    `  npm run plan                     # shows ${name} as a create`,
  ].join('\n');
}
