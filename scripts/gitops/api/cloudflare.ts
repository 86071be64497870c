import * as z from 'zod';
import { D1DatabaseSchema, type D1Database, type D1DatabaseBody } from '../../cloudflare/api/d1-databases.ts';
import { D1QueryResultSchema, type D1QueryBody, type D1QueryResult } from '../../cloudflare/api/d1-query.ts';
import { DeploymentListSchema, DeploymentSchema, type Deployment, type DeploymentBody, type DeploymentVersion } from '../../cloudflare/api/deployments.ts';
import { DomainSchema, type Domain, type DomainBody } from '../../cloudflare/api/domains.ts';
import { readResult } from '../../cloudflare/api/envelope.ts';
import { KvNamespaceSchema, type KvNamespace, type KvNamespaceBody } from '../../cloudflare/api/kv-namespaces.ts';
import { R2BucketListSchema, R2BucketSchema, type R2Bucket, type R2BucketBody } from '../../cloudflare/api/r2-buckets.ts';
import { QueueSchema, type ConsumerBody as QueueConsumerBody, type Queue, type QueueBody } from '../../cloudflare/api/queues.ts';
import { RouteSchema, type Route, type RouteBody } from '../../cloudflare/api/routes.ts';
import { SchedulesSchema, type SchedulesBody } from '../../cloudflare/api/schedules.ts';
import { ScriptSchema, ScriptUploadSchema, type Script, type ScriptSettingsBody } from '../../cloudflare/api/scripts.ts';
import { SecretSchema } from '../../cloudflare/api/secrets.ts';
import { VersionListSchema, VersionSchema, type Version } from '../../cloudflare/api/versions.ts';
import { ZoneSchema, type Zone } from '../../cloudflare/api/zones.ts';
import type { CloudflareClient } from './client.ts';
import { listAllPages } from './pages.ts';

/**
 * The Cloudflare API v4 operations the reconciler uses. Request bodies and answers are typed by
 * the schemas in `scripts/cloudflare/api/` that the local edge also serves, and every answer is
 * parsed with its schema, so the reconciler and the edge cannot disagree on a shape.
 */

export type ScriptSummary = Script;
export type DeploymentSummary = Deployment;
export type VersionSummary = Version;
export type RouteSummary = Route;
export type DomainSummary = Domain;
export type ZoneSummary = Zone;
export type QueueSummary = Queue;
export type ConsumerBody = QueueConsumerBody;
export type KvNamespaceSummary = KvNamespace;
export type D1DatabaseSummary = D1Database;

const enc = encodeURIComponent;

export function scriptPath(client: CloudflareClient, script: string, rest = ''): string {
  return client.accountPath(`/workers/scripts/${enc(script)}${rest}`);
}

export async function listScripts(client: CloudflareClient, tag?: string): Promise<ScriptSummary[]> {
  const envelope = await client.request<unknown>('GET', client.accountPath('/workers/scripts'), tag ? { query: { tags: `${tag}:yes` } } : {});
  return readResult(z.array(ScriptSchema), envelope.result ?? [], 'list Workers');
}

export async function listDeployments(client: CloudflareClient, script: string): Promise<DeploymentSummary[]> {
  const envelope = await client.request<unknown>('GET', scriptPath(client, script, '/deployments'));
  const result = readResult(z.union([DeploymentListSchema, z.array(DeploymentSchema)]), envelope.result ?? [], `list deployments of ${script}`);
  return Array.isArray(result) ? result : result.deployments;
}

export async function getVersion(client: CloudflareClient, script: string, versionId: string): Promise<VersionSummary> {
  const envelope = await client.request<unknown>('GET', scriptPath(client, script, `/versions/${enc(versionId)}`));
  return readResult(VersionSchema, envelope.result, `get version ${versionId} of ${script}`);
}

/** Every uploaded version of a script (paginated `result.items`), newest first. */
export function listVersions(client: CloudflareClient, script: string): Promise<VersionSummary[]> {
  return listAllPages(client, scriptPath(client, script, '/versions'), 100, (result) => readResult(VersionListSchema, result ?? { items: [] }, `list versions of ${script}`).items);
}

export function listZones(client: CloudflareClient): Promise<ZoneSummary[]> {
  return listAllPages(client, '/zones', 50, (result) => readResult(z.array(ZoneSchema), result ?? [], 'list zones'), { 'account.id': client.accountId });
}

export async function listRoutes(client: CloudflareClient, zoneId: string): Promise<RouteSummary[]> {
  const envelope = await client.request<unknown>('GET', `/zones/${enc(zoneId)}/workers/routes`);
  return readResult(z.array(RouteSchema), envelope.result ?? [], `list routes of zone ${zoneId}`);
}

export async function listDomains(client: CloudflareClient): Promise<DomainSummary[]> {
  const envelope = await client.request<unknown>('GET', client.accountPath('/workers/domains'));
  return readResult(z.array(DomainSchema), envelope.result ?? [], 'list custom domains');
}

export async function getSchedules(client: CloudflareClient, script: string): Promise<string[]> {
  const envelope = await client.request<unknown>('GET', scriptPath(client, script, '/schedules'));
  const { schedules } = readResult(SchedulesSchema, envelope.result ?? { schedules: [] }, `get cron triggers of ${script}`);
  return schedules.map((schedule) => schedule.cron);
}

export async function putSchedules(client: CloudflareClient, script: string, crons: string[]): Promise<void> {
  const body: SchedulesBody = crons.map((cron) => ({ cron }));
  await client.request('PUT', scriptPath(client, script, '/schedules'), { json: body });
}

export async function listSecretNames(client: CloudflareClient, script: string): Promise<string[]> {
  const envelope = await client.request<unknown>('GET', scriptPath(client, script, '/secrets'));
  return readResult(z.array(SecretSchema), envelope.result ?? [], `list secrets of ${script}`).map((secret) => secret.name);
}

/** PUT a script (creates or replaces it and deploys the upload at 100%); answers the new version id. */
export async function putScript(client: CloudflareClient, script: string, form: FormData): Promise<string | undefined> {
  const envelope = await client.request<unknown>('PUT', scriptPath(client, script), { form });
  return readResult(ScriptUploadSchema, envelope.result ?? {}, `upload ${script}`).deployment_id ?? undefined;
}

export async function uploadVersion(client: CloudflareClient, script: string, form: FormData): Promise<VersionSummary> {
  const envelope = await client.request<unknown>('POST', scriptPath(client, script, '/versions'), { form });
  return readResult(VersionSchema, envelope.result, `upload a version of ${script}`);
}

export async function createDeployment(
  client: CloudflareClient,
  script: string,
  versions: DeploymentVersion[],
  message: string,
): Promise<DeploymentSummary> {
  const body: DeploymentBody = { strategy: 'percentage', versions, annotations: { 'workers/message': message.slice(0, 50) } };
  const envelope = await client.request<unknown>('POST', scriptPath(client, script, '/deployments'), { json: body });
  return readResult(DeploymentSchema, envelope.result, `deploy ${script}`);
}

export async function patchScriptTags(client: CloudflareClient, script: string, tags: string[]): Promise<void> {
  const body: ScriptSettingsBody = { tags };
  await client.request('PATCH', scriptPath(client, script, '/script-settings'), { json: body });
}

export async function createRoute(client: CloudflareClient, zoneId: string, pattern: string, script: string): Promise<RouteSummary> {
  const body: RouteBody = { pattern, script };
  const envelope = await client.request<unknown>('POST', `/zones/${enc(zoneId)}/workers/routes`, { json: body });
  return readResult(RouteSchema, envelope.result, `create route ${pattern}`);
}

export async function updateRoute(client: CloudflareClient, zoneId: string, routeId: string, pattern: string, script: string): Promise<void> {
  const body: RouteBody = { pattern, script };
  await client.request('PUT', `/zones/${enc(zoneId)}/workers/routes/${enc(routeId)}`, { json: body });
}

export async function deleteRoute(client: CloudflareClient, zoneId: string, routeId: string): Promise<void> {
  await client.request('DELETE', `/zones/${enc(zoneId)}/workers/routes/${enc(routeId)}`);
}

export async function attachDomain(client: CloudflareClient, hostname: string, service: string, zoneId: string): Promise<void> {
  const body: DomainBody = { hostname, service, zone_id: zoneId, environment: 'production' };
  await client.request('PUT', client.accountPath('/workers/domains'), { json: body });
}

export async function detachDomain(client: CloudflareClient, domainId: string): Promise<void> {
  await client.request('DELETE', client.accountPath(`/workers/domains/${enc(domainId)}`));
}

export async function deleteScript(client: CloudflareClient, script: string): Promise<void> {
  await client.request('DELETE', scriptPath(client, script));
}



/** Every queue of the account, with its consumers (paginated). */
export function listQueues(client: CloudflareClient): Promise<QueueSummary[]> {
  return listAllPages(client, client.accountPath('/queues'), 100, (result) => readResult(z.array(QueueSchema), result ?? [], 'list queues'));
}

export async function findQueue(client: CloudflareClient, name: string): Promise<QueueSummary | undefined> {
  const envelope = await client.request<unknown>('GET', client.accountPath('/queues'), { query: { name } });
  return readResult(z.array(QueueSchema), envelope.result ?? [], `find queue ${name}`).find((queue) => queue.queue_name === name);
}

export async function createQueue(client: CloudflareClient, name: string): Promise<QueueSummary> {
  const body: QueueBody = { queue_name: name };
  const envelope = await client.request<unknown>('POST', client.accountPath('/queues'), { json: body });
  return readResult(QueueSchema, envelope.result, `create queue ${name}`);
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



/** Every KV namespace of the account (paginated as wrangler reads it: 100 a page, by title). */
export function listKvNamespaces(client: CloudflareClient): Promise<KvNamespaceSummary[]> {
  return listAllPages(client, client.accountPath('/storage/kv/namespaces'), 100, (result) => readResult(z.array(KvNamespaceSchema), result ?? [], 'list KV namespaces'), { order: 'title', direction: 'asc' });
}

export async function createKvNamespace(client: CloudflareClient, title: string): Promise<KvNamespaceSummary> {
  const body: KvNamespaceBody = { title };
  const envelope = await client.request<unknown>('POST', client.accountPath('/storage/kv/namespaces'), { json: body });
  return readResult(KvNamespaceSchema, envelope.result, `create KV namespace ${title}`);
}

/** Every D1 database of the account (paginated, 1000 a page). */
export function listD1Databases(client: CloudflareClient): Promise<D1DatabaseSummary[]> {
  return listAllPages(client, client.accountPath('/d1/database'), 1000, (result) => readResult(z.array(D1DatabaseSchema), result ?? [], 'list D1 databases'));
}

export async function createD1Database(client: CloudflareClient, name: string): Promise<D1DatabaseSummary> {
  const body: D1DatabaseBody = { name };
  const envelope = await client.request<unknown>('POST', client.accountPath('/d1/database'), { json: body });
  return readResult(D1DatabaseSchema, envelope.result, `create D1 database ${name}`);
}

// Deleting a preview's data (teardown): DELETE /accounts/{account_id}/storage/kv/namespaces/{namespace_id},
// /d1/database/{database_id} and /queues/{queue_id}, https://developers.cloudflare.com/api/ (KV, D1, Queues).
export async function deleteKvNamespace(client: CloudflareClient, namespaceId: string): Promise<void> {
  await client.request('DELETE', client.accountPath(`/storage/kv/namespaces/${enc(namespaceId)}`));
}

export async function deleteD1Database(client: CloudflareClient, databaseId: string): Promise<void> {
  await client.request('DELETE', client.accountPath(`/d1/database/${enc(databaseId)}`));
}

export async function deleteQueue(client: CloudflareClient, queueId: string): Promise<void> {
  await client.request('DELETE', client.accountPath(`/queues/${enc(queueId)}`));
}

/** `POST …/d1/database/{id}/query`: one result per statement of `sql`, run atomically (see cloudflare/api/d1-query.ts). */
export async function queryD1(client: CloudflareClient, databaseId: string, sql: string): Promise<D1QueryResult[]> {
  const body: D1QueryBody = { sql };
  const envelope = await client.request<unknown>('POST', client.accountPath(`/d1/database/${enc(databaseId)}/query`), { json: body });
  return readResult(z.array(D1QueryResultSchema), envelope.result, `query D1 database ${databaseId}`);
}

/**
 * Every R2 bucket of the account: `result.buckets`, paged by `result_info.cursor` on Cloudflare
 * (the local edge answers every bucket on one page of 1000).
 */
export async function listR2Buckets(client: CloudflareClient): Promise<R2Bucket[]> {
  const all: R2Bucket[] = [];
  let cursor: string | undefined;
  do {
    const envelope = await client.request<unknown>('GET', client.accountPath('/r2/buckets'), { query: { per_page: 1000, ...(cursor ? { cursor } : {}) } });
    all.push(...readResult(R2BucketListSchema, envelope.result, 'list R2 buckets').buckets);
    const next = envelope.result_info?.cursor;
    cursor = next !== undefined && next !== '' && next !== cursor ? next : undefined;
  } while (cursor !== undefined);
  return all;
}

export async function createR2Bucket(client: CloudflareClient, name: string): Promise<R2Bucket> {
  const body: R2BucketBody = { name };
  const envelope = await client.request<unknown>('POST', client.accountPath('/r2/buckets'), { json: body });
  return readResult(R2BucketSchema, envelope.result, `create R2 bucket ${name}`);
}
