import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Contract, DocumentOptions, OpenApiDocument } from '@edgeops/contracts';
import { loadFleet } from '../fleet/load.ts';

/** Where a service's committed OpenAPI document lives, relative to the repository root. */
export function documentPath(service: string): string {
  return `services/${service}/openapi.json`;
}

function isContract(value: unknown): value is Contract {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { service?: unknown; routes?: unknown };
  return typeof candidate.service === 'string' && typeof candidate.routes === 'object' && candidate.routes !== null;
}

/** The contracts package of the repository at `rootDir`: its contracts by service, and its document generator. */
export interface ContractsPackage {
  contracts: Map<string, Contract>;
  openApiDocument: (contract: Contract, options: DocumentOptions) => OpenApiDocument;
}

/**
 * Loads `shared/` of the repository at `rootDir` (not the one this tool runs from, which may differ
 * in a test or a scaffolder's copy): every contract `shared/src/contracts/*.ts` exports, and the
 * generator of the same package, so a contract and the schemas it refers to come from one place.
 */
export async function loadContracts(rootDir: string): Promise<ContractsPackage> {
  const shared = (await import(pathToFileURL(join(rootDir, 'shared/src/index.ts')).href)) as Pick<ContractsPackage, 'openApiDocument'>;
  const dir = join(rootDir, 'shared/src/contracts');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.ts') && file !== 'index.ts').sort();
  const contracts = new Map<string, Contract>();
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    for (const value of Object.values(module).filter(isContract)) {
      const other = contracts.get(value.service);
      if (other && other !== value) throw new Error(`shared/src/contracts/${file}: a second contract for service "${value.service}"`);
      contracts.set(value.service, value);
    }
  }
  return { contracts, openApiDocument: shared.openApiDocument };
}

/** The committed form of a document: two-space JSON with a final newline. */
export function renderDocument(document: OpenApiDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export interface GeneratedDocument {
  service: string;
  /** Relative to the repository root. */
  path: string;
  text: string;
}

/** The document each service with a contract should have committed, stamped with its `package.json` version. */
export async function generateDocuments(rootDir: string): Promise<GeneratedDocument[]> {
  const [fleet, shared] = await Promise.all([loadFleet(rootDir), loadContracts(rootDir)]);
  return fleet.services.flatMap((service) => {
    const contract = shared.contracts.get(service.name);
    if (!contract) return [];
    return [{ service: service.name, path: documentPath(service.name), text: renderDocument(shared.openApiDocument(contract, { version: service.version })) }];
  });
}

export interface StaleDocument {
  service: string;
  path: string;
  problem: 'missing' | 'stale';
}

async function readIfExists(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** The committed documents that are missing or differ from their contract (as `wrangler types --check`). */
export async function staleDocuments(rootDir: string): Promise<StaleDocument[]> {
  const stale: StaleDocument[] = [];
  for (const generated of await generateDocuments(rootDir)) {
    const committed = await readIfExists(join(rootDir, generated.path));
    if (committed !== generated.text) stale.push({ service: generated.service, path: generated.path, problem: committed === undefined ? 'missing' : 'stale' });
  }
  return stale;
}

/** Writes every document that changed (or only those of `only`'s services); returns the paths written. */
export async function writeDocuments(rootDir: string, options: { only?: readonly string[] } = {}): Promise<string[]> {
  const written: string[] = [];
  for (const generated of await generateDocuments(rootDir)) {
    if (options.only && !options.only.includes(generated.service)) continue;
    const path = join(rootDir, generated.path);
    if ((await readIfExists(path)) === generated.text) continue;
    await writeFile(path, generated.text);
    written.push(generated.path);
  }
  return written;
}
