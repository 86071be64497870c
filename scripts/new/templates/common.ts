import type { TemplateContext } from './context.ts';

/** A TOML basic string (JSON's escapes are TOML's for what we write). */
export const tomlString = (value: string): string => JSON.stringify(value);

/** `services/<name>/package.json`: the version git declares for the Worker starts at 0.1.0. */
export function packageJson(context: TemplateContext): string {
  const pkg = {
    name: `@edgeops/${context.name}`,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      dev: 'wrangler dev',
      typecheck: 'tsc -p tsconfig.json',
      test: `vitest run --root ../.. services/${context.name}`,
    },
    dependencies: { '@edgeops/contracts': context.contractsVersion },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** The same tsconfig.json as every service: strict base config, Worker source against workers-types. */
export function tsconfigJson(): string {
  const config = {
    extends: '../../tsconfig.json',
    compilerOptions: { lib: ['ES2023'], types: ['@cloudflare/workers-types'] },
    include: ['src/**/*.ts'],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** `services/<name>/wrangler.toml`: name, entry, the fleet's date, the route, service bindings, then the template's own sections. */
export function wranglerToml(context: TemplateContext, sections: string): string {
  const { route } = context;
  const lines = [
    `name = ${tomlString(context.name)}`,
    'main = "src/index.ts"',
    `compatibility_date = ${tomlString(context.compatibilityDate)}`,
    `# "*" at the end also covers ${route.basePath}/<id> and query strings (part of the URL a route matches).`,
    'routes = [',
    `  { pattern = ${tomlString(route.pattern)}, zone_name = ${tomlString(route.zoneName)} },`,
    ']',
  ];
  for (const bound of context.bindings) {
    lines.push(
      '',
      `# The ${bound.service} service, called through its typed client (shared/src/contracts/${bound.service}.ts).`,
      '[[services]]',
      `binding = ${tomlString(bound.binding)}`,
      `service = ${tomlString(bound.service)}`,
    );
  }
  return `${lines.join('\n')}\n${sections ? `\n${sections}` : ''}`;
}

/** `src/env.ts`: the service's own bindings, then one `Fetcher` per bound service. */
export function envTs(context: TemplateContext, ownFields: string[], imports: string[] = []): string {
  const fields = [...ownFields, ...context.bindings.map((bound) => `${bound.binding}: Fetcher;`)];
  const head = imports.length > 0 ? `${imports.join('\n')}\n\n` : '';
  return `${head}export interface Env {\n${fields.map((field) => `  ${field}`).join('\n')}\n}\n`;
}

/** The shared opening of every generated test: the whole real fleet in workerd, and a typed client over its routes. */
export function testPreamble(context: TemplateContext, contractImports: string[]): string {
  const { ids, route } = context;
  return `import { createClient } from '@edgeops/contracts';
import { ${contractImports.join(', ')} } from '@edgeops/contracts/contracts';
import { startFleet, type FleetHarness } from '@edgeops/scripts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The whole fleet runs in workerd, so ${context.name} is reached on its route and calls the real services it binds.
let fleet: FleetHarness;
beforeAll(async () => {
  fleet = await startFleet();
});
afterAll(() => fleet?.dispose());

const BASE_URL = 'https://${route.host}';
const over = <C extends Parameters<typeof createClient>[0]>(contract: C) =>
  createClient(contract, { baseUrl: BASE_URL, fetch: (request) => fleet.fetch(request.url, request) });
const ${ids.camel}Api = () => over(${ids.camel}Contract);
const raw = (path: string, init?: RequestInit) => fleet.fetch(\`\${BASE_URL}\${path}\`, init);
`;
}

/** What a generated KV store holds: one entity, stored one key each under `<noun>:<id>`. */
export interface KvStoreShape {
  /** The entity's type, exported by the service's contract. */
  type: string;
  /** Singular, lower case: the key prefix and the variable name (`item`). */
  noun: string;
  /** Plural: the list result's field (`items`). */
  plural: string;
  /** The store class's name. */
  store: string;
  /** Whether the store has `delete(id)`. */
  withDelete: boolean;
}

/** `src/store.ts` of a template that keeps its entities in KV, listed in key order with a cursor. */
export function kvStoreTs(context: TemplateContext, shape: KvStoreShape): string {
  const { type, noun, plural, store } = shape;
  const remove = shape.withDelete
    ? `
  async delete(id: string): Promise<void> {
    await this.kv.delete(${noun}Key(id));
  }
`
    : '';
  return `import type { ${type} } from '@edgeops/contracts/contracts';

const ${noun}Key = (id: string) => \`${noun}:\${id}\`;

/** ${context.ids.pascal} ${plural} in KV, one key each, listed in key order with a cursor. */
export class ${store} {
  constructor(private readonly kv: KVNamespace) {}

  get(id: string): Promise<${type} | null> {
    return this.kv.get<${type}>(${noun}Key(id), 'json');
  }

  async put(${noun}: ${type}): Promise<void> {
    await this.kv.put(${noun}Key(${noun}.id), JSON.stringify(${noun}));
  }
${remove}
  async list(limit: number, cursor?: string): Promise<{ ${plural}: ${type}[]; cursor?: string }> {
    const page = await this.kv.list({ prefix: '${noun}:', limit, ...(cursor ? { cursor } : {}) });
    const ${plural} = await Promise.all(page.keys.map((key) => this.kv.get<${type}>(key.name, 'json')));
    return {
      ${plural}: ${plural}.filter((${noun}): ${noun} is ${type} => ${noun} !== null),
      ...(page.list_complete ? {} : { cursor: page.cursor }),
    };
  }
}
`;
}
