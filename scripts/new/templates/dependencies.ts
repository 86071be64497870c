import type { LookupUse, ProbeUse } from '../bindings.ts';
import type { TemplateContext } from './context.ts';

/** The bound services the template checks references against. */
export const lookups = (context: TemplateContext) =>
  context.bindings.flatMap((bound) => (bound.use.kind === 'lookup' ? [{ ...bound, use: bound.use }] : []));

/** The bound services the template calls on each run. */
export const probes = (context: TemplateContext) =>
  context.bindings.flatMap((bound) => (bound.use.kind === 'probe' ? [{ ...bound, use: bound.use }] : []));

/** Contract fields for the references, e.g. `userId: z.string().min(1).max(64).optional(),` with a comment. */
export function referenceFields(context: TemplateContext, indent = '  '): string {
  return lookups(context)
    .map(
      (bound) =>
        `${indent}/** Checked against the ${bound.service} service (${bound.use.operation}): an unknown id is refused with 422. */\n${indent}${bound.use.field}: z.string().min(1).max(64).optional(),\n`,
    )
    .join('');
}

/** Output-side fields for the references (stored as given). */
export function storedReferenceFields(context: TemplateContext, indent = '  '): string {
  return lookups(context)
    .map((bound) => `${indent}${bound.use.field}: z.string().optional(),\n`)
    .join('');
}

function lookupBlock(bound: { service: string; binding: string; contractExport: string; use: LookupUse }): string {
  const { use } = bound;
  const route = `${bound.contractExport}.routes.${use.operation}`;
  const value = `references.${use.field}`;
  return `  if (${value} !== undefined) {
    const unknown = { code: '${use.errorCode}', message: \`The ${bound.service} service has no ${use.entity.toLowerCase()} \${${value}}.\` };
    if (!(await validate(${route}.params, { ${use.param}: ${value} })).ok) return unknown;
    const found = await createClient(${bound.contractExport}, { binding: env.${bound.binding} }, { requestId }).${use.operation}({ params: { ${use.param}: ${value} } });
    if (found.status === 404) return unknown;
    if (found.status !== 200) throw new Error(\`${bound.service}.${use.operation} answered \${found.status}\`);
  }
`;
}

/** `src/references.ts`: each reference looked up through the bound service's typed client. */
export function referencesTs(context: TemplateContext): string {
  const bound = lookups(context);
  return `import { createClient, validate } from '@edgeops/contracts';
import { ${bound.map((item) => item.contractExport).join(', ')} } from '@edgeops/contracts/contracts';
import type { Env } from './env.ts';

/** The references a request may carry, each to something a bound service holds. */
export interface References {
${bound.map((item) => `  ${item.use.field}?: string | undefined;`).join('\n')}
}

/** A reference that does not resolve: answered as a 422. */
export interface UnknownReference {
  code: string;
  message: string;
}

/**
 * Looks each given reference up through the bound service's typed client, over its service binding.
 * Returns the first that does not exist; any answer other than found / not found is a failure.
 */
export async function findUnknownReference(references: References, env: Env, requestId: string): Promise<UnknownReference | undefined> {
${bound.map(lookupBlock).join('')}  return undefined;
}
`;
}

/** The generated files of a template whose code looks bound services up: `src/references.ts` when there are any. */
export function lookupFiles(context: TemplateContext): Record<string, string> {
  return lookups(context).length > 0 ? { 'src/references.ts': referencesTs(context) } : {};
}

function probeBlock(bound: { service: string; binding: string; contractExport: string; use: ProbeUse }): string {
  const input = bound.use.hasQuery ? '{ query: {} }' : '';
  return `  {
    const result = await createClient(${bound.contractExport}, { binding: env.${bound.binding} }, { requestId }).${bound.use.operation}(${input});
    checks.push({ service: '${bound.service}', operation: '${bound.use.operation}', status: result.status });
  }
`;
}

/** `src/dependencies.ts`: calls each bound service through its typed client and reports what it answered. */
export function dependenciesTs(context: TemplateContext, checkType: string): string {
  const bound = probes(context);
  return `import { createClient } from '@edgeops/contracts';
import { ${[...bound.map((item) => item.contractExport), `type ${checkType}`].join(', ')} } from '@edgeops/contracts/contracts';
import type { Env } from './env.ts';

/** Calls each bound service through its typed client, over its service binding, and records the status it answered. */
export async function checkDependencies(env: Env, requestId: string): Promise<${checkType}[]> {
  const checks: ${checkType}[] = [];
${bound.map(probeBlock).join('')}  return checks;
}
`;
}

/** The contracts a generated test calls besides the service's own: each bound one, and what each needs created first. */
export function testContracts(context: TemplateContext): string[] {
  return [...new Set(lookups(context).flatMap((bound) => [...(bound.use.create?.prerequisites ?? []).map((step) => step.contractExport), bound.contractExport]))];
}

/** The `@bind` slots of a template that checks references (http, queue): contract fields, the 422, the check and the test's imports. */
export function lookupSlots(context: TemplateContext, ownContract: string): Record<string, string> {
  const refs = lookups(context).length > 0;
  return {
    references: referenceFields(context, ''),
    'stored-references': storedReferenceFields(context, ''),
    refused: refs ? ', 422: ErrorBody' : '',
    'import-references': refs ? "import { findUnknownReference } from './references.ts';" : '',
    'check-references': refs
      ? 'const unknown = await findUnknownReference(body, env, requestId);\nif (unknown) return { status: 422, body: { error: { ...unknown, requestId } } };'
      : '',
    'contract-imports': testContracts(context)
      .filter((name) => name !== ownContract)
      .map((name) => `, ${name}`)
      .join(''),
  };
}
