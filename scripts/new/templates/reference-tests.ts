import type { Prerequisite } from '../bindings.ts';
import type { TemplateContext } from './context.ts';
import { lookups } from './dependencies.ts';
import { tsLiteral } from './literal.ts';

/** The variable the test keeps what it created first in: `userId` → `user`. */
const createdName = (step: Prerequisite) => step.field.replace(/Id$/, '');

/** The sample body as a literal, each prerequisite's field taking the id of what the test created first. */
function bodyWith(sample: unknown, prerequisites: Prerequisite[]): string {
  if (prerequisites.length === 0 || typeof sample !== 'object' || sample === null) return tsLiteral(sample);
  const fixed = Object.entries(sample).filter(([key]) => !prerequisites.some((step) => step.field === key));
  const created = prerequisites.map((step) => `${step.field}: ${createdName(step)}.body.id`);
  return `{ ${[...fixed.map(([key, value]) => tsLiteral({ [key]: value }).slice(2, -2)), ...created].join(', ')} }`;
}

/**
 * Tests that prove each reference is checked through the bound service's typed client: an unknown
 * id is refused with the bound service's 404 turned into 422, and (when the bound contract lets the
 * test create one) a real id is accepted. `call` writes the create call given the reference fields.
 */
export function referenceTests(context: TemplateContext, call: (fields: string) => string, acceptedStatus: number): string {
  const bound = lookups(context);
  if (bound.length === 0) return '';
  const cases = bound.map((item) => {
    const { use } = item;
    const refused = `  it('refuses a ${use.field} the ${item.service} service does not know with 422, asking it over the ${item.binding} binding', async () => {
    const refused = await ${call(`${use.field}: 'no-such-${use.entity.toLowerCase()}'`)};
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: '${use.errorCode}' } });
  });
`;
    if (!use.create) return refused;
    const setUp = use.create.prerequisites.map((step) => {
      const made = createdName(step);
      return `    const ${made} = await over(${step.contractExport}).${step.operation}({ body: ${tsLiteral(step.sample)} });
    if (${made}.status !== 201) throw new Error(\`${step.service}.${step.operation} answered \${${made}.status}\`);
`;
    });
    const accepted = `
  it('accepts a ${use.field} the ${item.service} service knows', async () => {
${setUp.join('')}    const existing = await over(${item.contractExport}).${use.create.operation}({ body: ${bodyWith(use.create.sample, use.create.prerequisites)} });
    if (existing.status !== 201) throw new Error(\`${item.service}.${use.create.operation} answered \${existing.status}\`);
    const accepted = await ${call(`${use.field}: existing.body.id`)};
    expect(accepted.status).toBe(${acceptedStatus});
    expect(accepted.body).toMatchObject({ ${use.field}: existing.body.id });
  });
`;
    return refused + accepted;
  });
  return `
describe('${context.name}: references checked through service bindings', () => {
${cases.join('\n')}});
`;
}
