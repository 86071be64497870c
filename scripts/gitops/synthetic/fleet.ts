/**
 * A synthetic fleet: tiny real Workers (each answers JSON with its name and version, sends to and
 * consumes queues, calls its service bindings) written as a fleet in a temp dir. The benchmark's
 * fleet (gitops/bench.ts) and the reconciler tests' fixtures.
 */
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One service of a fixture fleet: a tiny real Worker answering JSON with its name and version. */
export interface FixtureService {
  name: string;
  version?: string;
  routes?: string[];
  /** Service bindings: binding name → service. */
  bindings?: Record<string, string>;
  crons?: string[];
  /** package.json `edgeops` key. */
  edgeops?: Record<string, unknown>;
  /** Extra text in the Worker's answer (edit it to change the bundle). */
  message?: string;
  /** `[[queues.producers]]`: binding name → queue (GET …/send-<binding> sends a message). */
  producers?: Record<string, string>;
  /** `[[queues.consumers]]`: queues this service consumes (GET …/received lists what arrived). */
  consumes?: string[];
  /** Extra raw TOML appended to the service's wrangler.toml. */
  extraToml?: string;
  /** Throw (an uncaught exception) on requests whose `?n=` is a multiple of this: a faulty version. */
  failEvery?: number;
  /** The Worker's whole source (src/index.js), instead of the generated one. */
  source?: string;
}

/** A fixture service's Worker source, as `writeService` writes it to src/index.js. */
export function workerSource(service: FixtureService): string {
  const calls = Object.keys(service.bindings ?? {})
    .map((binding) => `    if (url.pathname.endsWith('/via-${binding.toLowerCase()}')) return env.${binding}.fetch('https://internal/');`)
    .join('\n');
  const sends = Object.keys(service.producers ?? {})
    .map((binding) => `    if (url.pathname.endsWith('/send-${binding.toLowerCase()}')) { await env.${binding}.send({ from: ${JSON.stringify(service.name)}, at: url.searchParams.get('n') }); return Response.json({ sent: true }); }`)
    .join('\n');
  return `const received = [];
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
${calls}
${sends}
    if (url.pathname.endsWith('/received')) return Response.json({ received });
${service.failEvery ? `    if (Number(url.searchParams.get('n')) % ${service.failEvery} === 0) throw new Error('failing on purpose: n=' + url.searchParams.get('n'));` : ''}
    const secret = typeof env.API_KEY === 'string' ? { apiKeyLength: env.API_KEY.length } : {};
    return Response.json({ service: ${JSON.stringify(service.name)}, version: env.VERSION, message: ${JSON.stringify(service.message ?? 'hello')}, ...secret });
  },
  async scheduled() {},
  async queue(batch) {
    for (const message of batch.messages) {
      received.push(message.body);
      message.ack();
    }
  },
};
`;
}

function wranglerToml(service: FixtureService): string {
  const lines = [`name = "${service.name}"`, 'main = "src/index.js"', 'compatibility_date = "2025-01-01"', ''];
  lines.push('[vars]', `VERSION = "${service.version ?? '1.0.0'}"`, '');
  if (service.routes?.length) {
    lines.splice(2, 0, `routes = [${service.routes.map((pattern) => `{ pattern = "${pattern}", zone_name = "example.com" }`).join(', ')}]`);
  }
  for (const [binding, target] of Object.entries(service.bindings ?? {})) lines.push('[[services]]', `binding = "${binding}"`, `service = "${target}"`, '');
  for (const [binding, queue] of Object.entries(service.producers ?? {})) lines.push('[[queues.producers]]', `binding = "${binding}"`, `queue = "${queue}"`, '');
  for (const queue of service.consumes ?? []) lines.push('[[queues.consumers]]', `queue = "${queue}"`, 'max_batch_size = 1', 'max_batch_timeout = 1', '');
  if (service.crons?.length) lines.push('[triggers]', `crons = [${service.crons.map((cron) => `"${cron}"`).join(', ')}]`, '');
  if (service.extraToml) lines.push(service.extraToml);
  return lines.join('\n');
}

/**
 * Writes through a temporary file and a rename: a watcher (npm run dev, wrangler dev) that reads
 * the file while it is rewritten sees the old text or the new, never a half-written one (an empty
 * package.json fails the rebuild with "Unexpected end of file in JSON").
 */
async function writeWhole(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

export async function writeService(rootDir: string, service: FixtureService): Promise<void> {
  const dir = join(rootDir, 'services', service.name);
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeWhole(join(dir, 'wrangler.toml'), wranglerToml(service));
  await writeWhole(join(dir, 'src', 'index.js'), service.source ?? workerSource(service));
  await writeWhole(
    join(dir, 'package.json'),
    JSON.stringify({ name: `@fixture/${service.name}`, version: service.version ?? '1.0.0', private: true, ...(service.edgeops ? { edgeops: service.edgeops } : {}) }, null, 2),
  );
}

export async function removeService(rootDir: string, name: string): Promise<void> {
  await rm(join(rootDir, 'services', name), { recursive: true, force: true });
}

let fleets = 0;
const createdDirs: string[] = [];

/** Removes every fixture fleet this test file created. */
export async function removeFixtureFleets(): Promise<void> {
  await Promise.all(createdDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/**
 * A fixture fleet in a fresh temp dir: root wrangler.toml (+ `[gitops]`) and the given services.
 * Each fleet gets its own owner tag unless `gitops` says otherwise, so fleets sharing an edge are
 * strangers to each other (as two teams on one account).
 */
export async function createFixtureFleet(services: FixtureService[], gitops = `owner = "edgeops-test-${(fleets += 1)}"`): Promise<string> {
  const rootDir = await mkdtemp(join(tmpdir(), 'gitops-fleet-'));
  createdDirs.push(rootDir);
  await writeFile(join(rootDir, 'wrangler.toml'), `compatibility_date = "2025-01-01"\n\n[gitops]\n${gitops}\n`);
  for (const service of services) await writeService(rootDir, service);
  return rootDir;
}

export async function copyFleet(rootDir: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'gitops-fleet-'));
  createdDirs.push(copy);
  await cp(rootDir, copy, { recursive: true });
  return copy;
}

export async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

/**
 * The example fleet's shape: users (bound to by orders), orders, notifications (cron). Names and
 * routes carry a prefix so several tests can share one edge without touching each other.
 */
export function exampleServices(prefix: string): FixtureService[] {
  return [
    { name: `${prefix}-users`, routes: [`example.com/${prefix}/users*`] },
    { name: `${prefix}-orders`, routes: [`example.com/${prefix}/orders*`], bindings: { USERS: `${prefix}-users` } },
    { name: `${prefix}-notifications`, routes: [`example.com/${prefix}/notify*`], crons: ['*/5 * * * *'] },
  ];
}
