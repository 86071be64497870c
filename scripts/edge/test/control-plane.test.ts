/**
 * The control plane against its own API, every response validated against Cloudflare's OpenAPI
 * extract (see support/openapi.ts for the named deviations), with the data plane proving effects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Edge } from '../src/index.ts';
import { type ApiClient, textWorker, workerUpload } from './support/api-client.ts';
import { requestDataPlane } from './support/data-plane.ts';
import { withTestEdge } from './support/test-edge.ts';

interface ZoneResult {
  id: string;
  name: string;
}
interface VersionResult {
  id: string;
  number: number;
  annotations?: Record<string, string>;
  resources: { bindings: Record<string, unknown>[] };
}

let edge: Edge;
let api: ApiClient;
let zoneId: string;

withTestEdge('edge-cp-', async (started) => {
  ({ edge, api } = started);
  const zones = await api.ok<ZoneResult[]>('GET', '/zones?name=example.com');
  zoneId = zones[0]?.id ?? '';
});

describe('control plane: auth and envelope', () => {
  it('refuses a request without a token with 401 and code 10000', async () => {
    const response = await api.call('GET', '/accounts/{a}/workers/scripts', { token: null });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ success: false, result: null, errors: [{ code: 10000 }] });
  });

  it('refuses a wrong token with 403 and code 10000', async () => {
    const response = await api.call('GET', '/accounts/{a}/workers/scripts', { token: 'not-the-token' });
    expect(response.status).toBe(403);
    expect(response.body.errors[0]?.code).toBe(10000);
  });

  it('refuses another account id with 403 and code 10000 on every account operation, before reading the body', async () => {
    const other = '/accounts/0123456789abcdef0123456789abcdef';
    const calls = [
      ['GET', `${other}/workers/scripts`],
      ['DELETE', `${other}/workers/scripts/anything`],
      ['POST', `${other}/storage/kv/namespaces`],
      ['DELETE', `${other}/d1/database/anything`],
      ['POST', `${other}/queues`],
      ['PUT', `${other}/workers/domains`],
      ['GET', `${other}/workers/nothing-here`],
    ] as const;
    for (const [method, path] of calls) {
      const response = await api.call(method, path, method === 'GET' ? {} : { body: '[not json' });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.errors[0]?.code, `${method} ${path}`).toBe(10000);
    }
  });

  it('answers an unknown path with 404 and code 7003', async () => {
    const response = await api.call('GET', '/accounts/{a}/workers/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ success: false, errors: [{ code: 7003 }], result: null });
  });

  it('sends the Ratelimit headers on every response', async () => {
    const response = await api.call('GET', '/zones');
    expect(response.headers.get('ratelimit')).toBeTruthy();
    expect(response.headers.get('ratelimit-policy')).toBeTruthy();
  });
});

describe('control plane: zones', () => {
  it('finds the hosted zone by name and account, and nothing for an unknown name', async () => {
    const zones = await api.call<ZoneResult[]>('GET', `/zones?name=example.com&account.id=${edge.accountId}`);
    expect(zones.body.result.map((zone) => zone.name)).toEqual(['example.com']);
    expect(zones.body.result_info).toMatchObject({ page: 1, total_count: 1 });
    const none = await api.ok<ZoneResult[]>('GET', '/zones?name=sub.example.com');
    expect(none).toEqual([]);
  });

  it('adds a zone through POST /zones and refuses a duplicate or an invalid name', async () => {
    const zone = await api.ok<ZoneResult>('POST', '/zones', { body: { name: 'example.org', account: { id: edge.accountId }, type: 'full' } });
    expect(zone.name).toBe('example.org');
    expect((await api.ok<ZoneResult[]>('GET', '/zones?name=example.org'))[0]?.id).toBe(zone.id);
    const duplicate = await api.call('POST', '/zones', { body: { name: 'example.org', account: { id: edge.accountId } } });
    expect(duplicate.status).toBe(400);
    const invalid = await api.call('POST', '/zones', { body: { name: 'not a domain', account: { id: edge.accountId } } });
    expect(invalid.status).toBe(400);
  });
});

describe('control plane: uploads', () => {
  it('uploads a module Worker, deploys it at 100% and serves it on its route', async () => {
    const result = await api.ok<{ id: string; deployment_id: string; etag: string }>('PUT', '/accounts/{a}/workers/scripts/hello', {
      body: workerUpload(textWorker('hello'), { bindings: [{ type: 'plain_text', name: 'SUFFIX', text: '!' }], annotations: { 'workers/tag': '1.0.0', 'workers/message': 'first' } }),
    });
    expect(result.id).toBe('hello');
    expect(result.deployment_id).toMatch(/^[0-9a-f-]{36}$/);
    await api.ok('POST', `/zones/${zoneId}/workers/routes`, { body: { pattern: 'hello.example.com/*', script: 'hello' } });
    const response = await requestDataPlane(edge.url, 'hello.example.com', '/');
    expect(response.status).toBe(200);
    expect(response.body).toBe('hello!');
    const version = await api.ok<VersionResult>('GET', `/accounts/{a}/workers/scripts/hello/versions/${result.deployment_id}`);
    expect(version.number).toBe(1);
    expect(version.annotations).toEqual({ 'workers/tag': '1.0.0', 'workers/message': 'first', 'workers/triggered_by': 'upload' });
  });

  it('gives the deployed modules back as multipart with the entry point named (content/v2)', async () => {
    const response = await fetch(`${edge.apiUrl}/accounts/${edge.accountId}/workers/scripts/hello/content/v2`, { headers: { authorization: `Bearer ${edge.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cf-entrypoint')).toBe('index.js');
    const form = await response.formData();
    const module = form.get('index.js');
    expect(module).toBeInstanceOf(File);
    expect(await (module as File).text()).toBe(textWorker('hello'));
  });

  it('refuses an invalid script name', async () => {
    const response = await api.call('PUT', '/accounts/{a}/workers/scripts/Bad.Name', { body: workerUpload(textWorker('x')) });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]?.message).toContain('^[a-z0-9_][a-z0-9-_]*$');
  });

  it('refuses a body that is not multipart with 10001', async () => {
    const response = await api.call('PUT', '/accounts/{a}/workers/scripts/plain', { body: 'addEventListener("fetch", () => {})', headers: { 'content-type': 'application/javascript' } });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]?.code).toBe(10001);
  });

  it('refuses missing or malformed metadata with a clear 400', async () => {
    const noMetadata = new FormData();
    noMetadata.set('index.js', new File([textWorker('x')], 'index.js', { type: 'application/javascript+module' }));
    const missing = await api.call('PUT', '/accounts/{a}/workers/scripts/broken', { body: noMetadata });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]?.message).toMatch(/no `metadata` part/);

    const badJson = new FormData();
    badJson.set('metadata', '{ main_module: ');
    badJson.set('index.js', new File([textWorker('x')], 'index.js', { type: 'application/javascript+module' }));
    const malformed = await api.call('PUT', '/accounts/{a}/workers/scripts/broken', { body: badJson });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]?.message).toMatch(/not valid JSON/);
  });

  it('refuses a main_module that names no part', async () => {
    const response = await api.call('PUT', '/accounts/{a}/workers/scripts/broken', { body: workerUpload(textWorker('x'), { main_module: 'worker.js' }) });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ code: 10021 });
    expect(response.body.errors[0]?.message).toContain('"worker.js"');
    const scripts = await api.ok<{ id: string }[]>('GET', '/accounts/{a}/workers/scripts');
    expect(scripts.map((script) => script.id)).not.toContain('broken');
  });

  it('refuses a binding type the edge cannot run, naming it', async () => {
    const response = await api.call('PUT', '/accounts/{a}/workers/scripts/broken', { body: workerUpload(textWorker('x'), { bindings: [{ type: 'ai', name: 'AI' }] }) });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]?.message).toContain('"AI"');
  });

  it('refuses a binding of a known type without the field it needs, naming binding and field', async () => {
    const response = await api.call('PUT', '/accounts/{a}/workers/scripts/broken', { body: workerUpload(textWorker('x'), { bindings: [{ type: 'kv_namespace', name: 'CACHE' }] }) });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]?.message).toMatch(/binding "CACHE" of type "kv_namespace" is not valid: namespace_id: /);
  });

  it('answers 10021 for a Worker that fails to start in workerd and keeps the previous deployment', async () => {
    const before = await api.ok<{ deployments: { id: string }[] }>('GET', '/accounts/{a}/workers/scripts/hello/deployments');
    const response = await api.call('PUT', '/accounts/{a}/workers/scripts/hello', { body: workerUpload('export default { fetch( { syntax error') });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]?.code).toBe(10021);
    const after = await api.ok<{ deployments: { id: string }[] }>('GET', '/accounts/{a}/workers/scripts/hello/deployments');
    expect(after.deployments.map((deployment) => deployment.id)).toEqual(before.deployments.map((deployment) => deployment.id));
    expect((await requestDataPlane(edge.url, 'hello.example.com', '/')).body).toBe('hello!');
  });

  it('refuses a version annotation workers/tag over 100 bytes and truncates workers/message at 1000', async () => {
    const tooLong = await api.call('POST', '/accounts/{a}/workers/scripts/hello/versions', { body: workerUpload(textWorker('v'), { annotations: { 'workers/tag': 'x'.repeat(101) } }) });
    expect(tooLong.status).toBe(400);
    const version = await api.ok<VersionResult>('POST', '/accounts/{a}/workers/scripts/hello/versions', { body: workerUpload(textWorker('v'), { annotations: { 'workers/message': 'm'.repeat(1500) } }) });
    expect(version.annotations?.['workers/message']).toHaveLength(1000);
  });
});

describe('control plane: versions and deployments', () => {
  let versionA: string;
  let versionB: string;

  it('uploads versions without deploying them, numbered in order, refusing an unknown script', async () => {
    const missing = await api.call('POST', '/accounts/{a}/workers/scripts/nope/versions', { body: workerUpload(textWorker('x')) });
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]?.code).toBe(10007);
    await api.ok('PUT', '/accounts/{a}/workers/scripts/split', { body: workerUpload(textWorker('A')) });
    await api.ok('PUT', `/accounts/{a}/workers/scripts/split/routes`, { body: [{ pattern: 'split.example.com/*', zone_id: zoneId }] });
    const list = await api.ok<{ items: { id: string; number: number }[] }>('GET', '/accounts/{a}/workers/scripts/split/versions');
    versionA = list.items[0]?.id ?? '';
    const uploaded = await api.ok<VersionResult>('POST', '/accounts/{a}/workers/scripts/split/versions', { body: workerUpload(textWorker('B'), { annotations: { 'workers/tag': '2.0.0' } }) });
    versionB = uploaded.id;
    expect(uploaded.number).toBe(2);
    expect((await requestDataPlane(edge.url, 'split.example.com', '/')).body).toBe('A');
  });

  it('lists versions newest first with Cloudflare pagination', async () => {
    const first = await api.call<{ items: { id: string; number: number }[] }>('GET', '/accounts/{a}/workers/scripts/split/versions?per_page=1&page=1');
    expect(first.body.result.items.map((item) => item.number)).toEqual([2]);
    expect(first.body.result_info).toMatchObject({ page: 1, per_page: 1, total_count: 2 });
    const second = await api.ok<{ items: { number: number }[] }>('GET', '/accounts/{a}/workers/scripts/split/versions?per_page=1&page=2');
    expect(second.items.map((item) => item.number)).toEqual([1]);
  });

  it('deploys two versions at 50/50 and the data plane serves both', async () => {
    await api.ok('POST', '/accounts/{a}/workers/scripts/split/deployments', {
      body: { strategy: 'percentage', versions: [{ version_id: versionA, percentage: 50 }, { version_id: versionB, percentage: 50 }], annotations: { 'workers/message': 'canary' } },
    });
    const seen = new Set<string>();
    for (let attempt = 0; attempt < 60 && seen.size < 2; attempt += 1) seen.add((await requestDataPlane(edge.url, 'split.example.com', `/?n=${attempt}`)).body);
    expect([...seen].sort()).toEqual(['A', 'B']);
    const { deployments } = await api.ok<{ deployments: { versions: { percentage: number }[]; annotations: Record<string, string> }[] }>('GET', '/accounts/{a}/workers/scripts/split/deployments');
    expect(deployments[0]?.versions.map((version) => version.percentage)).toEqual([50, 50]);
    expect(deployments[0]?.annotations['workers/message']).toBe('canary');
    expect(deployments).toHaveLength(2);
  });

  it('refuses deployments whose percentages do not sum to 100, with three versions, or an unknown version', async () => {
    const sum = await api.call('POST', '/accounts/{a}/workers/scripts/split/deployments', { body: { strategy: 'percentage', versions: [{ version_id: versionA, percentage: 60 }, { version_id: versionB, percentage: 50 }] } });
    expect(sum.status).toBe(400);
    expect(sum.body.errors[0]?.message).toContain('sum to 100');
    const three = await api.call('POST', '/accounts/{a}/workers/scripts/split/deployments', {
      body: { strategy: 'percentage', versions: [{ version_id: versionA, percentage: 50 }, { version_id: versionB, percentage: 25 }, { version_id: versionA, percentage: 25 }] },
    });
    expect(three.status).toBe(400);
    const unknown = await api.call('POST', '/accounts/{a}/workers/scripts/split/deployments', { body: { strategy: 'percentage', versions: [{ version_id: '00000000-0000-0000-0000-000000000000', percentage: 100 }] } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0]?.code).toBe(100146);
  });

  it('rolls back to an older version as a rollback deployment, newest first in the list', async () => {
    await api.ok('POST', '/accounts/{a}/workers/scripts/split/deployments', { body: { strategy: 'percentage', versions: [{ version_id: versionA, percentage: 100 }] } });
    const { deployments } = await api.ok<{ deployments: { id: string; versions: { version_id: string }[]; annotations: Record<string, string> }[] }>('GET', '/accounts/{a}/workers/scripts/split/deployments');
    expect(deployments[0]?.versions).toEqual([{ version_id: versionA, percentage: 100 }]);
    expect(deployments[0]?.annotations['workers/triggered_by']).toBe('rollback');
    expect((await requestDataPlane(edge.url, 'split.example.com', '/')).body).toBe('A');
    const latest = await api.call('DELETE', `/accounts/{a}/workers/scripts/split/deployments/${deployments[0]?.id}`);
    expect(latest.status).toBe(400);
    const older = await api.call('DELETE', `/accounts/{a}/workers/scripts/split/deployments/${deployments[1]?.id}`);
    expect(older.status).toBe(200);
  });

  it('answers 404 with 100146 for an unknown version', async () => {
    const response = await api.call('GET', '/accounts/{a}/workers/scripts/split/versions/00000000-0000-0000-0000-000000000000');
    expect(response.status).toBe(404);
    expect(response.body.errors[0]?.code).toBe(100146);
  });
});

describe('control plane: routes', () => {
  it('refuses a pattern outside its zone with 10022 and a duplicate pattern with 10013', async () => {
    const outside = await api.call('POST', `/zones/${zoneId}/workers/routes`, { body: { pattern: 'example.net/*', script: 'hello' } });
    expect(outside.status).toBe(400);
    expect(outside.body.errors[0]?.code).toBe(10022);
    const duplicate = await api.call('POST', `/zones/${zoneId}/workers/routes`, { body: { pattern: 'hello.example.com/*', script: 'split' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.errors[0]?.code).toBe(10013);
  });

  it('refuses a route to a script that does not exist with 10019', async () => {
    const response = await api.call('POST', `/zones/${zoneId}/workers/routes`, { body: { pattern: 'ghost.example.com/*', script: 'ghost' } });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]?.code).toBe(10019);
  });

  it('updates, reads and deletes a zone route, and the data plane follows', async () => {
    const created = await api.ok<{ id: string }>('POST', `/zones/${zoneId}/workers/routes`, { body: { pattern: 'moving.example.com/*', script: 'hello' } });
    expect((await requestDataPlane(edge.url, 'moving.example.com', '/')).body).toBe('hello!');
    await api.ok('PUT', `/zones/${zoneId}/workers/routes/${created.id}`, { body: { pattern: 'moving.example.com/*', script: 'split' } });
    expect((await api.ok<{ script: string }>('GET', `/zones/${zoneId}/workers/routes/${created.id}`)).script).toBe('split');
    expect((await requestDataPlane(edge.url, 'moving.example.com', '/')).body).toBe('A');
    await api.ok('DELETE', `/zones/${zoneId}/workers/routes/${created.id}`);
    expect((await requestDataPlane(edge.url, 'moving.example.com', '/')).status).toBe(404);
    const gone = await api.call('GET', `/zones/${zoneId}/workers/routes/${created.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.errors[0]?.code).toBe(10009);
  });

  it('PUT …/scripts/{s}/routes replaces the script routes and refuses a pattern held by another script (10013)', async () => {
    await api.ok('PUT', '/accounts/{a}/workers/scripts/split/routes', { body: [{ pattern: 'split.example.com/*' }, { pattern: 'example.com/split*', zone_name: 'example.com' }] });
    let routes = await api.ok<{ pattern: string; script: string }[]>('GET', `/zones/${zoneId}/workers/routes`);
    expect(routes.filter((route) => route.script === 'split').map((route) => route.pattern).sort()).toEqual(['example.com/split*', 'split.example.com/*']);
    await api.ok('PUT', '/accounts/{a}/workers/scripts/split/routes', { body: [{ pattern: 'split.example.com/*' }] });
    routes = await api.ok<{ pattern: string; script: string }[]>('GET', `/zones/${zoneId}/workers/routes`);
    expect(routes.filter((route) => route.script === 'split').map((route) => route.pattern)).toEqual(['split.example.com/*']);
    const taken = await api.call('PUT', '/accounts/{a}/workers/scripts/split/routes', { body: [{ pattern: 'hello.example.com/*' }] });
    expect(taken.status).toBe(409);
    expect(taken.body.errors[0]?.code).toBe(10013);
    expect((await requestDataPlane(edge.url, 'hello.example.com', '/')).body).toBe('hello!');
  });
});

describe('control plane: custom domains, workers.dev, settings, secrets, schedules', () => {
  it('attaches, lists, reads and detaches a custom domain, and the data plane serves it', async () => {
    const domain = await api.ok<{ id: string; hostname: string; zone_name: string }>('PUT', '/accounts/{a}/workers/domains', { body: { hostname: 'shop.example.com', service: 'hello', environment: 'production', zone_id: zoneId } });
    expect(domain).toMatchObject({ hostname: 'shop.example.com', zone_name: 'example.com' });
    expect((await api.ok<unknown[]>('GET', '/accounts/{a}/workers/domains?service=hello')).length).toBe(1);
    expect((await api.ok<unknown[]>('GET', '/accounts/{a}/workers/domains?service=split')).length).toBe(0);
    expect((await requestDataPlane(edge.url, 'shop.example.com', '/anything')).body).toBe('hello!');
    await api.ok('DELETE', `/accounts/{a}/workers/domains/${domain.id}`);
    const gone = await api.call('GET', `/accounts/{a}/workers/domains/${domain.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.errors[0]?.code).toBe(100114);
    const outside = await api.call('PUT', '/accounts/{a}/workers/domains', { body: { hostname: 'shop.example.net', service: 'hello', environment: 'production' } });
    expect(outside.status).toBe(404);
  });

  it('reads the account subdomain and toggles a script on workers.dev', async () => {
    expect(await api.ok('GET', '/accounts/{a}/workers/subdomain')).toEqual({ subdomain: 'edgeops' });
    expect(await api.ok('GET', '/accounts/{a}/workers/scripts/hello/subdomain')).toEqual({ enabled: false, previews_enabled: false });
    expect((await requestDataPlane(edge.url, 'hello.edgeops.workers.dev', '/')).status).toBe(404);
    await api.ok('POST', '/accounts/{a}/workers/scripts/hello/subdomain', { body: { enabled: true, previews_enabled: true } });
    expect((await requestDataPlane(edge.url, 'hello.edgeops.workers.dev', '/')).body).toBe('hello!');
  });

  it('sets tags through script-settings and filters the script list with ?tags=', async () => {
    const settings = await api.ok<{ tags: string[] }>('PATCH', '/accounts/{a}/workers/scripts/hello/script-settings', { body: { tags: ['edgeops', 'team:web'] } });
    expect(settings.tags).toEqual(['edgeops', 'team:web']);
    expect(await api.ok('GET', '/accounts/{a}/workers/scripts/hello/script-settings')).toMatchObject({ tags: ['edgeops', 'team:web'], logpush: false });
    const tagged = await api.ok<{ id: string }[]>('GET', '/accounts/{a}/workers/scripts?tags=edgeops:yes');
    expect(tagged.map((script) => script.id)).toEqual(['hello']);
    const untagged = await api.ok<{ id: string }[]>('GET', '/accounts/{a}/workers/scripts?tags=edgeops:no');
    expect(untagged.map((script) => script.id)).toEqual(['split']);
    const fromUpload = await api.ok<{ id: string }[]>('GET', '/accounts/{a}/workers/scripts');
    expect(fromUpload.map((script) => script.id).sort()).toEqual(['hello', 'split']);
  });

  it('stores secrets, lists names only, gives them to the Worker and deletes them', async () => {
    await api.ok('PUT', '/accounts/{a}/workers/scripts/vault', { body: workerUpload('export default { fetch(request, env) { return new Response(env.API_KEY ?? "none"); } };') });
    await api.ok('PUT', '/accounts/{a}/workers/scripts/vault/routes', { body: [{ pattern: 'vault.example.com/*' }] });
    const put = await api.call('PUT', '/accounts/{a}/workers/scripts/vault/secrets', { body: { name: 'API_KEY', text: 's3cr3t-value', type: 'secret_text' } });
    expect(JSON.stringify(put.body)).not.toContain('s3cr3t-value');
    const list = await api.call('GET', '/accounts/{a}/workers/scripts/vault/secrets');
    expect(list.body.result).toEqual([{ name: 'API_KEY', type: 'secret_text' }]);
    expect((await requestDataPlane(edge.url, 'vault.example.com', '/')).body).toBe('s3cr3t-value');
    const { deployments } = await api.ok<{ deployments: { versions: { version_id: string }[] }[] }>('GET', '/accounts/{a}/workers/scripts/vault/deployments');
    const version = await api.call('GET', `/accounts/{a}/workers/scripts/vault/versions/${deployments[0]?.versions[0]?.version_id}`);
    expect(JSON.stringify(version.body)).not.toContain('s3cr3t-value');
    await api.ok('DELETE', '/accounts/{a}/workers/scripts/vault/secrets/API_KEY');
    expect((await requestDataPlane(edge.url, 'vault.example.com', '/')).body).toBe('none');
    const missing = await api.call('DELETE', '/accounts/{a}/workers/scripts/vault/secrets/API_KEY');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]?.code).toBe(10056);
  });

  it('replaces cron schedules and refuses an invalid expression', async () => {
    const result = await api.ok<{ schedules: { cron: string }[] }>('PUT', '/accounts/{a}/workers/scripts/hello/schedules', { body: [{ cron: '*/30 * * * *' }, { cron: '0 3 * * mon' }] });
    expect(result.schedules.map((schedule) => schedule.cron)).toEqual(['*/30 * * * *', '0 3 * * mon']);
    expect((await api.ok<{ schedules: unknown[] }>('GET', '/accounts/{a}/workers/scripts/hello/schedules')).schedules).toHaveLength(2);
    const invalid = await api.call('PUT', '/accounts/{a}/workers/scripts/hello/schedules', { body: [{ cron: 'every minute' }] });
    expect(invalid.status).toBe(400);
  });

  it('shows bindings and compatibility settings through …/settings without secret values', async () => {
    const settings = await api.ok<{ bindings: { name: string; type: string }[]; compatibility_date: string }>('GET', '/accounts/{a}/workers/scripts/hello/settings');
    expect(settings.compatibility_date).toBe('2024-09-23');
    expect(settings.bindings).toEqual([{ type: 'plain_text', name: 'SUFFIX', text: '!' }]);
  });

  it('answers the undocumented services lookup wrangler starts with, and 10007 for a new Worker', async () => {
    const service = await api.ok<{ default_environment: { environment: string; script: { tag: string } } }>('GET', '/accounts/{a}/workers/services/hello');
    expect(service.default_environment.environment).toBe('production');
    const missing = await api.call('GET', '/accounts/{a}/workers/services/brand-new');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]?.code).toBe(10007);
  });

  it('wires service bindings, reports them as references and refuses to delete a bound Worker without force', async () => {
    await api.ok('PUT', '/accounts/{a}/workers/scripts/backend', { body: workerUpload(textWorker('from backend')) });
    await api.ok('PUT', '/accounts/{a}/workers/scripts/frontend', {
      body: workerUpload('export default { async fetch(request, env) { const inner = await env.BACKEND.fetch("http://backend/"); return new Response("front+" + await inner.text()); } };', {
        bindings: [{ type: 'service', name: 'BACKEND', service: 'backend' }],
      }),
    });
    await api.ok('PUT', '/accounts/{a}/workers/scripts/frontend/routes', { body: [{ pattern: 'front.example.com/*' }] });
    expect((await requestDataPlane(edge.url, 'front.example.com', '/')).body).toBe('front+from backend');
    const references = await api.ok<{ services: { incoming: { service: string }[] } }>('GET', '/accounts/{a}/workers/scripts/backend/references');
    expect(references.services.incoming.map((reference) => reference.service)).toEqual(['frontend']);
    const refused = await api.call('DELETE', '/accounts/{a}/workers/scripts/backend');
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]?.message).toContain('frontend');
    await api.ok('DELETE', '/accounts/{a}/workers/scripts/frontend');
    await api.ok('DELETE', '/accounts/{a}/workers/scripts/backend');
  });

  it('deletes a script with its routes, and the data plane stops serving it', async () => {
    await api.ok('DELETE', '/accounts/{a}/workers/scripts/vault');
    expect((await requestDataPlane(edge.url, 'vault.example.com', '/')).status).toBe(404);
    const routes = await api.ok<{ pattern: string }[]>('GET', `/zones/${zoneId}/workers/routes`);
    expect(routes.map((route) => route.pattern)).not.toContain('vault.example.com/*');
    const again = await api.call('DELETE', '/accounts/{a}/workers/scripts/vault');
    expect(again.status).toBe(404);
  });

  it('answers arbitrary JSON bodies on every mutating operation with a Cloudflare-style result, never a 5xx', async () => {
    await api.ok('PUT', '/accounts/{a}/workers/scripts/target', { body: workerUpload(textWorker('target')) });
    const operations: [string, string][] = [
      ['POST', '/accounts/{a}/workers/scripts/target/deployments'],
      ['POST', `/zones/${zoneId}/workers/routes`],
      ['PUT', '/accounts/{a}/workers/scripts/target/routes'],
      ['PUT', '/accounts/{a}/workers/domains'],
      ['PUT', '/accounts/{a}/workers/scripts/target/secrets'],
      ['PUT', '/accounts/{a}/workers/scripts/target/schedules'],
      ['PATCH', '/accounts/{a}/workers/scripts/target/script-settings'],
      ['POST', '/accounts/{a}/workers/scripts/target/subdomain'],
      ['POST', '/zones'],
      ['POST', '/accounts/{a}/queues'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations), fc.jsonValue({ maxDepth: 3 }), async ([method, path], body) => {
        const response = await api.call(method, path, { body: JSON.stringify(body) });
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (metadata) => {
        const form = new FormData();
        form.set('metadata', JSON.stringify(metadata));
        form.set('index.js', new File([textWorker('fuzz')], 'index.js', { type: 'application/javascript+module' }));
        const response = await api.call('PUT', '/accounts/{a}/workers/scripts/fuzzed', { body: form });
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 50 },
    );
    expect((await requestDataPlane(edge.url, 'hello.example.com', '/')).body).toBe('hello!');
  });

  it('validated every response it saw against the extract or BEHAVIOUR.md', () => {
    expect(api.validations.length).toBeGreaterThan(50);
    expect(api.validations.filter((validation) => validation.errors.length > 0)).toEqual([]);
    const sources = new Set(api.validations.map((validation) => validation.source));
    for (const source of ['openapi', 'openapi-failure', 'notes'] as const) expect(sources.has(source)).toBe(true);
  });
});

/** A Worker as the Workers resource API answers it. */
interface WorkerResult {
  id: string;
  name: string;
  updated_on: string;
  logpush: boolean;
  observability: { enabled: boolean; head_sampling_rate?: number };
  subdomain: { enabled: boolean; previews_enabled: boolean };
  tags: string[];
  tail_consumers: { name: string }[];
}

describe('control plane: the Workers resource API, PATCH …/workers/workers/{worker_id}', () => {
  it('changes the properties sent and keeps the others; the workers.dev switch reaches the data plane', async () => {
    await api.ok('PUT', '/accounts/{a}/workers/scripts/patched', { body: workerUpload(textWorker('patched')) });
    const { subdomain } = await api.ok<{ subdomain: string }>('GET', '/accounts/{a}/workers/subdomain');
    const host = `patched.${subdomain}.workers.dev`;
    const before = await api.ok<WorkerResult>('GET', '/accounts/{a}/workers/workers/patched');
    expect((await requestDataPlane(edge.url, host, '/')).status).toBe(404);

    const enabled = await api.ok<WorkerResult>('PATCH', `/accounts/{a}/workers/workers/${before.id}`, { body: { subdomain: { enabled: true }, tags: ['team:edge', 'team:edge'] } });
    expect(enabled).toEqual({ ...before, subdomain: { enabled: true, previews_enabled: before.subdomain.previews_enabled }, tags: ['team:edge'], updated_on: enabled.updated_on });
    expect((await requestDataPlane(edge.url, host, '/')).body).toBe('patched');

    const edited = await api.ok<WorkerResult>('PATCH', '/accounts/{a}/workers/workers/patched', {
      body: { name: 'patched', logpush: true, observability: { enabled: true, head_sampling_rate: 0.5 }, tail_consumers: [{ name: 'patched' }] },
    });
    expect(edited).toMatchObject({ logpush: true, observability: { enabled: true, head_sampling_rate: 0.5 }, tail_consumers: [{ name: 'patched' }], tags: ['team:edge'], subdomain: { enabled: true } });
    // The same record the scripts API reads.
    expect(await api.ok('GET', '/accounts/{a}/workers/scripts/patched/settings')).toMatchObject({ logpush: true, tags: ['team:edge'], observability: { enabled: true } });

    const disabled = await api.ok<WorkerResult>('PATCH', '/accounts/{a}/workers/workers/patched', { body: { subdomain: { enabled: false } } });
    expect(disabled.subdomain.enabled).toBe(false);
    expect((await requestDataPlane(edge.url, host, '/')).status).toBe(404);
  });

  it('refuses a rename and the Worker Previews settings with 10021, changing nothing; an unknown Worker is 10007', async () => {
    const before = await api.ok<WorkerResult>('GET', '/accounts/{a}/workers/workers/patched');
    const renamed = await api.call('PATCH', '/accounts/{a}/workers/workers/patched', { body: { name: 'renamed', logpush: false } });
    expect(renamed.status).toBe(400);
    expect(renamed.body.errors[0]).toMatchObject({ code: 10021 });
    expect(renamed.body.errors[0]?.message).toContain('the local edge does not rename Workers ("patched" → "renamed")');
    const previews = await api.call('PATCH', '/accounts/{a}/workers/workers/patched', { body: { preview_defaults: { bindings: {} }, logpush: false } });
    expect(previews.status).toBe(400);
    expect(previews.body.errors[0]?.message).toContain('preview_defaults: Worker Previews are not offered by the local edge');
    expect(await api.ok('GET', '/accounts/{a}/workers/workers/patched')).toEqual(before);
    const missing = await api.call('PATCH', '/accounts/{a}/workers/workers/nowhere', { body: { logpush: true } });
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]).toMatchObject({ code: 10007 });
  });
});
