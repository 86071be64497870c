import type { CloudflareClient } from './client.ts';

/** The Cloudflare API v4 operations the reconciler uses, typed by what it reads of each answer. */

export interface ScriptSummary {
  id: string;
  tags?: string[];
}

export interface DeploymentSummary {
  id: string;
  versions: { version_id: string; percentage: number }[];
  annotations?: Record<string, string>;
}

export interface VersionSummary {
  id: string;
  number?: number;
  annotations?: Record<string, string>;
}

export interface RouteSummary {
  id: string;
  pattern: string;
  script?: string | null;
}

export interface DomainSummary {
  id: string;
  hostname: string;
  service: string;
  zone_id?: string;
}

export interface ZoneSummary {
  id: string;
  name: string;
}

const enc = encodeURIComponent;

export function scriptPath(client: CloudflareClient, script: string, rest = ''): string {
  return client.accountPath(`/workers/scripts/${enc(script)}${rest}`);
}

export async function listScripts(client: CloudflareClient, tag?: string): Promise<ScriptSummary[]> {
  const envelope = await client.request<ScriptSummary[]>('GET', client.accountPath('/workers/scripts'), tag ? { query: { tags: `${tag}:yes` } } : {});
  return envelope.result ?? [];
}

export async function listDeployments(client: CloudflareClient, script: string): Promise<DeploymentSummary[]> {
  const envelope = await client.request<{ deployments: DeploymentSummary[] } | DeploymentSummary[]>('GET', scriptPath(client, script, '/deployments'));
  const result = envelope.result;
  return Array.isArray(result) ? result : (result?.deployments ?? []);
}

export async function getVersion(client: CloudflareClient, script: string, versionId: string): Promise<VersionSummary> {
  return (await client.request<VersionSummary>('GET', scriptPath(client, script, `/versions/${enc(versionId)}`))).result;
}

/** Every uploaded version of a script (paginated `result.items`), newest first. */
export async function listVersions(client: CloudflareClient, script: string): Promise<VersionSummary[]> {
  const all: VersionSummary[] = [];
  for (let page = 1; ; page += 1) {
    const envelope = await client.request<{ items: VersionSummary[] }>('GET', scriptPath(client, script, '/versions'), { query: { page, per_page: 100 } });
    const items = envelope.result?.items ?? [];
    all.push(...items);
    const total = envelope.result_info?.total_count;
    if (items.length === 0 || total === undefined || all.length >= total) return all;
  }
}

export async function listZones(client: CloudflareClient): Promise<ZoneSummary[]> {
  const all: ZoneSummary[] = [];
  for (let page = 1; ; page += 1) {
    const envelope = await client.request<ZoneSummary[]>('GET', '/zones', { query: { 'account.id': client.accountId, page, per_page: 50 } });
    all.push(...(envelope.result ?? []));
    const totalPages = envelope.result_info?.total_pages ?? 1;
    if ((envelope.result ?? []).length === 0 || page >= totalPages) return all;
  }
}

export async function listRoutes(client: CloudflareClient, zoneId: string): Promise<RouteSummary[]> {
  return (await client.request<RouteSummary[]>('GET', `/zones/${enc(zoneId)}/workers/routes`)).result ?? [];
}

export async function listDomains(client: CloudflareClient): Promise<DomainSummary[]> {
  return (await client.request<DomainSummary[]>('GET', client.accountPath('/workers/domains'))).result ?? [];
}

export async function getSchedules(client: CloudflareClient, script: string): Promise<string[]> {
  const result = (await client.request<{ schedules: { cron: string }[] }>('GET', scriptPath(client, script, '/schedules'))).result;
  return (result?.schedules ?? []).map((schedule) => schedule.cron);
}

export async function putSchedules(client: CloudflareClient, script: string, crons: string[]): Promise<void> {
  await client.request('PUT', scriptPath(client, script, '/schedules'), { json: crons.map((cron) => ({ cron })) });
}

export async function listSecretNames(client: CloudflareClient, script: string): Promise<string[]> {
  return ((await client.request<{ name: string }[]>('GET', scriptPath(client, script, '/secrets'))).result ?? []).map((secret) => secret.name);
}

/** PUT a script (creates or replaces it and deploys the upload at 100%); answers the new version id. */
export async function putScript(client: CloudflareClient, script: string, form: FormData): Promise<string | undefined> {
  const result = (await client.request<{ deployment_id?: string }>('PUT', scriptPath(client, script), { form })).result;
  return result?.deployment_id;
}

export async function uploadVersion(client: CloudflareClient, script: string, form: FormData): Promise<VersionSummary> {
  return (await client.request<VersionSummary>('POST', scriptPath(client, script, '/versions'), { form })).result;
}

export async function createDeployment(
  client: CloudflareClient,
  script: string,
  versions: { version_id: string; percentage: number }[],
  message: string,
): Promise<DeploymentSummary> {
  const body = { strategy: 'percentage', versions, annotations: { 'workers/message': message.slice(0, 50) } };
  return (await client.request<DeploymentSummary>('POST', scriptPath(client, script, '/deployments'), { json: body })).result;
}

export async function patchScriptTags(client: CloudflareClient, script: string, tags: string[]): Promise<void> {
  await client.request('PATCH', scriptPath(client, script, '/script-settings'), { json: { tags } });
}

export async function createRoute(client: CloudflareClient, zoneId: string, pattern: string, script: string): Promise<RouteSummary> {
  return (await client.request<RouteSummary>('POST', `/zones/${enc(zoneId)}/workers/routes`, { json: { pattern, script } })).result;
}

export async function updateRoute(client: CloudflareClient, zoneId: string, routeId: string, pattern: string, script: string): Promise<void> {
  await client.request('PUT', `/zones/${enc(zoneId)}/workers/routes/${enc(routeId)}`, { json: { pattern, script } });
}

export async function deleteRoute(client: CloudflareClient, zoneId: string, routeId: string): Promise<void> {
  await client.request('DELETE', `/zones/${enc(zoneId)}/workers/routes/${enc(routeId)}`);
}

export async function attachDomain(client: CloudflareClient, hostname: string, service: string, zoneId: string): Promise<void> {
  await client.request('PUT', client.accountPath('/workers/domains'), { json: { hostname, service, zone_id: zoneId, environment: 'production' } });
}

export async function detachDomain(client: CloudflareClient, domainId: string): Promise<void> {
  await client.request('DELETE', client.accountPath(`/workers/domains/${enc(domainId)}`));
}

export async function deleteScript(client: CloudflareClient, script: string): Promise<void> {
  await client.request('DELETE', scriptPath(client, script));
}

export interface QueueSummary {
  queue_id: string;
  queue_name: string;
  consumers?: {
    consumer_id: string;
    type?: string;
    script?: string;
    script_name?: string;
    settings?: { batch_size?: number; max_retries?: number; max_wait_time_ms?: number };
    dead_letter_queue?: string;
  }[];
}

export interface ConsumerBody {
  type: 'worker';
  script_name: string;
  settings: { batch_size?: number; max_retries?: number; max_wait_time_ms?: number };
  dead_letter_queue?: string;
}

/** Every queue of the account, with its consumers (paginated). */
export async function listQueues(client: CloudflareClient): Promise<QueueSummary[]> {
  const all: QueueSummary[] = [];
  for (let page = 1; ; page += 1) {
    const envelope = await client.request<QueueSummary[]>('GET', client.accountPath('/queues'), { query: { page, per_page: 100 } });
    const items = envelope.result ?? [];
    all.push(...items);
    const total = envelope.result_info?.total_count;
    if (items.length === 0 || total === undefined || all.length >= total) return all;
  }
}

export async function findQueue(client: CloudflareClient, name: string): Promise<QueueSummary | undefined> {
  const envelope = await client.request<QueueSummary[]>('GET', client.accountPath('/queues'), { query: { name } });
  return (envelope.result ?? []).find((queue) => queue.queue_name === name);
}

export async function createQueue(client: CloudflareClient, name: string): Promise<QueueSummary> {
  return (await client.request<QueueSummary>('POST', client.accountPath('/queues'), { json: { queue_name: name } })).result;
}

export async function createConsumer(client: CloudflareClient, queueId: string, body: ConsumerBody): Promise<void> {
  await client.request('POST', client.accountPath(`/queues/${enc(queueId)}/consumers`), { json: body });
}

export async function updateConsumer(client: CloudflareClient, queueId: string, consumerId: string, body: ConsumerBody): Promise<void> {
  await client.request('PUT', client.accountPath(`/queues/${enc(queueId)}/consumers/${enc(consumerId)}`), { json: body });
}

export async function deleteConsumer(client: CloudflareClient, queueId: string, consumerId: string): Promise<void> {
  await client.request('DELETE', client.accountPath(`/queues/${enc(queueId)}/consumers/${enc(consumerId)}`));
}

export interface KvNamespaceSummary {
  id: string;
  title: string;
}

export interface D1DatabaseSummary {
  uuid: string;
  name: string;
}

/** Every KV namespace of the account (paginated as wrangler reads it: 100 a page, by title). */
export async function listKvNamespaces(client: CloudflareClient): Promise<KvNamespaceSummary[]> {
  const all: KvNamespaceSummary[] = [];
  for (let page = 1; ; page += 1) {
    const envelope = await client.request<KvNamespaceSummary[]>('GET', client.accountPath('/storage/kv/namespaces'), { query: { page, per_page: 100, order: 'title', direction: 'asc' } });
    const items = envelope.result ?? [];
    all.push(...items);
    const totalPages = envelope.result_info?.total_pages;
    if (items.length === 0 || (totalPages !== undefined ? page >= totalPages : items.length < 100)) return all;
  }
}

export async function createKvNamespace(client: CloudflareClient, title: string): Promise<KvNamespaceSummary> {
  return (await client.request<KvNamespaceSummary>('POST', client.accountPath('/storage/kv/namespaces'), { json: { title } })).result;
}

/** Every D1 database of the account (paginated, 1000 a page). */
export async function listD1Databases(client: CloudflareClient): Promise<D1DatabaseSummary[]> {
  const all: D1DatabaseSummary[] = [];
  for (let page = 1; ; page += 1) {
    const envelope = await client.request<D1DatabaseSummary[]>('GET', client.accountPath('/d1/database'), { query: { page, per_page: 1000 } });
    const items = envelope.result ?? [];
    all.push(...items);
    const totalPages = envelope.result_info?.total_pages;
    if (items.length === 0 || (totalPages !== undefined ? page >= totalPages : items.length < 1000)) return all;
  }
}

export async function createD1Database(client: CloudflareClient, name: string): Promise<D1DatabaseSummary> {
  return (await client.request<D1DatabaseSummary>('POST', client.accountPath('/d1/database'), { json: { name } })).result;
}
