import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { checkFleet } from '../fleet/check.ts';
import { ConfigError, formatIssue } from '../fleet/errors.ts';
import { loadFleet, type Fleet, type FleetService } from '../fleet/load.ts';
import { mergeServiceConfig } from '../fleet/merge.ts';
import { ServiceConfig } from '../fleet/schema.ts';
import { loadContractExports, planBindings, type BoundService } from './bindings.ts';
import { ScaffoldError } from './errors.ts';
import { identifiersOf, nameProblem } from './names.ts';
import { defaultRoutePattern, overlappingRoutes, planRoute, type PlannedRoute } from './routes.ts';
import { renderTemplate, TEMPLATES, type GeneratedFile, type TemplateContext, type TemplateName } from './templates/index.ts';

/** What the user asked for, once every prompt is answered. */
export interface ScaffoldRequest {
  rootDir: string;
  name: string;
  template: TemplateName;
  /** Absent: `api.<first zone>/<name>*`. */
  route?: string | undefined;
  bind: string[];
}

/** A change to a file that exists: the whole text before and after, and the lines added. */
export interface FileEdit {
  path: string;
  before: string;
  after: string;
  added: string[];
}

/** Everything a scaffold will do, decided and checked before anything is written. */
export interface ScaffoldPlan {
  request: ScaffoldRequest;
  route: PlannedRoute;
  bindings: BoundService[];
  /** New files, relative to the repository root. */
  files: GeneratedFile[];
  edits: FileEdit[];
  endpoints: string[];
  /** Worth saying, not worth refusing (e.g. a route inside another service's wildcard). */
  notes: string[];
}

export const CONTRACTS_INDEX = 'shared/src/contracts/index.ts';

/** Adds `export * from './<name>.ts';` among the index's export lines, keeping them sorted. */
export function addContractExport(index: string, name: string): { after: string; line: string } {
  const line = `export * from './${name}.ts';`;
  const lines = index.replace(/\n$/, '').split('\n');
  const exportLine = /^export \* from '\.\/(.+)\.ts';$/;
  const exports = lines.flatMap((text, position) => {
    const module = exportLine.exec(text)?.[1];
    return module === undefined ? [] : [{ module, position }];
  });
  const next = exports.find((entry) => entry.module.localeCompare(name) > 0);
  const at = next ? next.position : exports.length > 0 ? exports[exports.length - 1]!.position + 1 : lines.length;
  lines.splice(at, 0, line);
  return { after: `${lines.join('\n')}\n`, line };
}

async function loadCheckedFleet(rootDir: string): Promise<Fleet> {
  try {
    return await loadFleet(rootDir);
  } catch (error) {
    if (error instanceof ConfigError) throw new ScaffoldError(`the fleet's configuration is broken; fix it first:\n${error.message}`);
    throw error;
  }
}

/** The fleet as it will be once the plan is applied, checked with every fleet rule before anything is written. */
function checkFutureFleet(fleet: Fleet, name: string, wrangler: string): void {
  const dir = join(fleet.rootDir, 'services', name);
  const parsed = ServiceConfig.safeParse(parseToml(wrangler));
  if (!parsed.success) throw new Error(`generated wrangler.toml does not pass the fleet schema: ${parsed.error.message}`);
  const service: FleetService = {
    name,
    dir,
    configPath: join(dir, 'wrangler.toml'),
    packageJsonPath: join(dir, 'package.json'),
    version: '0.1.0',
    config: mergeServiceConfig(fleet.root, parsed.data),
    packageJson: {},
  };
  try {
    checkFleet({ ...fleet, services: [...fleet.services, service] });
  } catch (error) {
    if (error instanceof ConfigError) throw new ScaffoldError(`the fleet would not pass its checks with ${name}:\n${error.issues.map(formatIssue).join('\n')}`);
    throw error;
  }
}

/**
 * Decides every file and edit of a scaffold and checks them all: the name, that nothing exists
 * yet, the route, each binding, the contract's exports and the whole future fleet. Reads, never
 * writes. Throws a {@link ScaffoldError} for the first problem.
 */
export async function planScaffold(request: ScaffoldRequest): Promise<ScaffoldPlan> {
  const { rootDir, name } = request;
  const problem = nameProblem(name);
  if (problem) throw new ScaffoldError(`invalid service name: ${problem}`);
  const template = TEMPLATES[request.template];

  const fleet = await loadCheckedFleet(rootDir);
  if (fleet.services.some((service) => service.name === name)) {
    throw new ScaffoldError(`service "${name}" already exists (services/${name}/); pick another name`);
  }
  for (const taken of [`services/${name}`, `shared/src/contracts/${name}.ts`]) {
    if (existsSync(join(rootDir, taken))) throw new ScaffoldError(`${taken} already exists; this tool never overwrites — pick another name or remove it`);
  }

  const route = planRoute(fleet, name, request.route ?? defaultRoutePattern(fleet, name));
  const exports = await loadContractExports(rootDir);
  const bindings = await planBindings(fleet, exports, request.bind, template.bindingUse, name);
  const sharedPackage = JSON.parse(await readFile(join(rootDir, 'shared/package.json'), 'utf8')) as { version: string };
  const context: TemplateContext = {
    name,
    ids: identifiersOf(name),
    route,
    compatibilityDate: fleet.root.compatibility_date,
    contractsVersion: sharedPackage.version,
    bindings,
  };

  const clashes = template.contractExports(context).filter((exported) => Object.hasOwn(exports, exported));
  if (clashes.length > 0) {
    throw new ScaffoldError(`the contract for "${name}" would export ${clashes.join(', ')}, which ${CONTRACTS_INDEX} already exports (a service with a similar name?); pick another name`);
  }

  const files: GeneratedFile[] = await renderTemplate(template, context);
  const wrangler = files.find((file) => file.path === `services/${name}/wrangler.toml`);
  if (!wrangler) throw new Error(`the ${request.template} template has no services/<name>/wrangler.toml`);
  checkFutureFleet(fleet, name, wrangler.contents);
  const before = await readFile(join(rootDir, CONTRACTS_INDEX), 'utf8');
  const { after, line } = addContractExport(before, name);

  const overlaps = overlappingRoutes(fleet, route);
  const notes = overlaps.length > 0 ? [`${route.pattern} lies inside ${overlaps.join(', ')}; Cloudflare sends ${route.host}${route.basePath}… to the more specific pattern, ${name}'s`] : [];
  return { request, route, bindings, files, edits: [{ path: CONTRACTS_INDEX, before, after, added: [line] }], endpoints: template.endpoints(context), notes };
}
