import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validate, type Contract, type Route } from '@edgeops/contracts';
import type { Fleet } from '../fleet/load.ts';
import { ScaffoldError } from './errors.ts';
import { identifiersOf } from './names.ts';
import { hasStringId, sampleFor } from './sample.ts';

/** Everything `shared/src/contracts/index.ts` exports, by name. */
export type ContractExports = Record<string, unknown>;

/**
 * Imports the fleet's contracts module as it is on disk now. The query string makes a second import
 * in the same process (tests) see lines added to the index since.
 */
export async function loadContractExports(rootDir: string): Promise<ContractExports> {
  const url = pathToFileURL(join(rootDir, 'shared/src/contracts/index.ts'));
  url.search = `?at=${Date.now()}`;
  try {
    return { ...((await import(url.href)) as ContractExports) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ScaffoldError(`shared/src/contracts/index.ts does not load, so bindings and name clashes cannot be checked; fix it first: ${detail}`);
  }
}

function isContract(value: unknown): value is Contract {
  return typeof value === 'object' && value !== null && typeof (value as Contract).service === 'string' && typeof (value as Contract).routes === 'object';
}

/** How generated code calls a bound service, picked from the bound service's contract. */
export type BindingUseName = 'lookup' | 'probe';

/** Check a reference: `GET /things/:id` answering 200 or 404; a 404 makes the caller answer 422. */
export interface LookupUse {
  kind: 'lookup';
  operation: string;
  /** The path parameter the id goes into. */
  param: string;
  /** `getUser` → `User`. */
  entity: string;
  /** The request field that holds the reference: `userId`. */
  field: string;
  /** The error code when the reference is unknown: `unknown_user`. */
  errorCode: string;
  /**
   * The bound service's create operation (`POST` on the same collection, answering 201 with an
   * `id`) and a valid body for it, so the generated test can make something to refer to.
   */
  create?: { operation: string; sample: unknown; prerequisites: Prerequisite[] };
}

/**
 * Something a generated test creates first, through its own contract, so that a reference in the
 * bound service's sample body resolves: orders' `userId` needs a user the users service knows.
 */
export interface Prerequisite {
  /** The sample body's field that takes the created thing's id: `userId`. */
  field: string;
  service: string;
  contractExport: string;
  operation: string;
  sample: unknown;
}

/** Call an operation that needs no input (a list with default paging) and record its status. */
export interface ProbeUse {
  kind: 'probe';
  operation: string;
  /** Whether the operation declares a query schema (it is then called with `{ query: {} }`). */
  hasQuery: boolean;
}

export type BindingUse = LookupUse | ProbeUse;

/** A service the new one binds to, and how the generated code uses it. */
export interface BoundService {
  service: string;
  /** The `[[services]]` binding name and `Env` field: `USERS`. */
  binding: string;
  /** The contract's export name: `usersContract`. */
  contractExport: string;
  use: BindingUse;
}

const LOOKUP_PATH = /^\/[^:]*\/:([A-Za-z0-9_]+)$/;

async function accepts(schema: Route['params'], value: unknown): Promise<boolean> {
  return schema ? (await validate(schema, value)).ok : true;
}

async function findCreate(contract: Contract, collection: string, tag: string): Promise<LookupUse['create']> {
  for (const [operation, route] of Object.entries(contract.routes)) {
    if (route.method !== 'POST' || route.path !== collection || route.params || route.query || !hasStringId(route.responses[201])) continue;
    const sample = await sampleFor(route.body, tag);
    if (sample !== undefined) return { operation, sample, prerequisites: [] };
  }
  return undefined;
}

function contractOf(exports: ContractExports, service: string): [string, Contract] | undefined {
  const found = Object.entries(exports).find(([, value]) => isContract(value) && value.service === service);
  return found as [string, Contract] | undefined;
}

/**
 * What must exist before `service`'s sample body is accepted: each service it binds (its
 * `[[services]]`) whose reference field the sample carries, and which can create one.
 */
async function prerequisitesOf(fleet: Fleet, exports: ContractExports, service: string, sample: unknown): Promise<Prerequisite[]> {
  if (typeof sample !== 'object' || sample === null) return [];
  const bindings = fleet.services.find((candidate) => candidate.name === service)?.config.services ?? [];
  const prerequisites: Prerequisite[] = [];
  for (const binding of bindings) {
    const found = contractOf(exports, binding.service);
    // Its own tag, so what the test creates first never clashes with the bound service's own sample (one email, one user).
    const lookup = found ? await findLookup(found[1], `for-${service}`) : undefined;
    if (!found || !lookup?.create || !(lookup.field in sample)) continue;
    prerequisites.push({ field: lookup.field, service: binding.service, contractExport: found[0], operation: lookup.create.operation, sample: lookup.create.sample });
  }
  return prerequisites;
}

/** `tag`: what the sample body's strings are made of (see {@link sampleFor}). */
async function findLookup(contract: Contract, tag = 'sample'): Promise<LookupUse | undefined> {
  for (const [operation, route] of Object.entries(contract.routes)) {
    const param = LOOKUP_PATH.exec(route.path)?.[1];
    if (route.method !== 'GET' || !param || !(200 in route.responses) || !(404 in route.responses)) continue;
    if (!(await accepts(route.params, { [param]: 'an-id' }))) continue;
    const entity = /^get[A-Z]/.test(operation) ? operation.slice(3) : identifiersOf(contract.service).pascal;
    const snake = entity.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    const create = await findCreate(contract, route.path.slice(0, route.path.lastIndexOf('/')), tag);
    return {
      kind: 'lookup',
      operation,
      param,
      entity,
      field: `${entity.charAt(0).toLowerCase()}${entity.slice(1)}Id`,
      errorCode: `unknown_${snake}`,
      ...(create ? { create } : {}),
    };
  }
  return undefined;
}

async function findProbe(contract: Contract): Promise<ProbeUse | undefined> {
  for (const [operation, route] of Object.entries(contract.routes)) {
    if (route.method !== 'GET' || route.params || route.body || !(200 in route.responses)) continue;
    if (!(await accepts(route.query, {}))) continue;
    return { kind: 'probe', operation, hasQuery: route.query !== undefined };
  }
  return undefined;
}

/** What each use needs from the bound contract, and how to say it is missing. */
export const BINDING_USES: Record<BindingUseName, { find(contract: Contract): Promise<BindingUse | undefined>; needs: string }> = {
  lookup: { find: findLookup, needs: 'a GET /…/:id operation answering 200 or 404 (to check a reference against)' },
  probe: { find: findProbe, needs: 'a GET operation without path parameters that needs no input (to call on each run)' },
};

/** Resolves each `--bind` against the fleet and its contracts; throws a {@link ScaffoldError} for the first that does not fit. */
export async function planBindings(fleet: Fleet, exports: ContractExports, names: readonly string[], useName: BindingUseName, self: string): Promise<BoundService[]> {
  const known = fleet.services.map((service) => service.name);
  const bound: BoundService[] = [];
  for (const service of [...new Set(names)]) {
    if (service === self) throw new ScaffoldError(`--bind ${service}: a service cannot bind to itself`);
    if (!known.includes(service)) throw new ScaffoldError(`--bind ${service}: no such service in the fleet; expected one of: ${known.join(', ')}`);
    const found = contractOf(exports, service);
    if (!found) throw new ScaffoldError(`--bind ${service}: shared/src/contracts/index.ts exports no contract with service "${service}"`);
    const [contractExport, contract] = found;
    const use = await BINDING_USES[useName].find(contract);
    if (!use) {
      throw new ScaffoldError(
        `--bind ${service}: this template needs ${BINDING_USES[useName].needs} in ${service}'s contract (shared/src/contracts/${service}.ts), and it has none; bind it by hand instead`,
      );
    }
    if (use.kind === 'lookup' && use.create) use.create.prerequisites = await prerequisitesOf(fleet, exports, service, use.create.sample);
    bound.push({ service, binding: identifiersOf(service).constant, contractExport, use });
  }
  const fields = bound.flatMap((binding) => (binding.use.kind === 'lookup' ? [binding.use.field] : []));
  const twice = fields.find((field, index) => fields.indexOf(field) !== index);
  if (twice) throw new ScaffoldError(`--bind: two bound services would both be referenced by a field named "${twice}"; bind one of them by hand`);
  return bound;
}
