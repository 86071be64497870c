/**
 * The listener's choice of shard (dataplane/upstream-selection.ts): by the account's dispatch table,
 * the home shard for what reaches no Worker, and upstreams kept across releases for shards whose
 * address did not change.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { buildDispatchTable } from '../src/dataplane/dispatch-table.ts';
import { selectUpstreams, singleUpstream, type ShardUpstreams } from '../src/dataplane/upstream-selection.ts';
import { echoWorker, script, snapshot, version } from './dataplane-fixtures.ts';

const account = snapshot({
  scripts: [script('api', [version('a1', echoWorker('api'))]), script('site', [version('s1', echoWorker('site'))], { workersDev: true })],
  routes: [
    { zoneName: 'example.com', pattern: 'example.com/api/*', script: 'api' },
    { zoneName: 'example.com', pattern: 'example.com/*', script: 'site' },
    { zoneName: 'example.com', pattern: 'example.com/api/static/*' },
  ],
  customDomains: [{ hostname: 'docs.example.com', script: 'site' }],
});

const upstreams = (urls: Record<string, string>): ShardUpstreams => ({ urls, home: 'home', routing: { table: buildDispatchTable(account), shardOf: { api: 's1', site: 's2' } } });

const request = (host: string, url: string, headers: Record<string, string> = {}) => ({ url, headers: { host, ...headers } }) as unknown as IncomingMessage;

describe('upstream selection', () => {
  const connected: string[] = [];
  const retired: string[] = [];
  const connect = (url: string) => {
    connected.push(url);
    return { url };
  };
  const retire = (upstream: { url: string }) => retired.push(upstream.url);
  const first = selectUpstreams(upstreams({ home: 'http://h:1', s1: 'http://a:1', s2: 'http://b:1' }), undefined, connect, retire);

  it('upstream selection: a request goes to the shard of the script its route, Custom Domain or workers.dev host reaches', () => {
    expect(first?.pick(request('example.com', '/api/users?x=1'))?.url).toBe('http://a:1');
    expect(first?.pick(request('Example.COM:8787', '/about'))?.url).toBe('http://b:1');
    expect(first?.pick(request('docs.example.com', '/'))?.url).toBe('http://b:1');
    expect(first?.pick(request('site.edgeops.workers.dev', '/'))?.url).toBe('http://b:1');
    // The path as workerd's URL parser normalises it: /x/../api/ is /api/.
    expect(first?.pick(request('example.com', '/x/../api/users'))?.url).toBe('http://a:1');
  });

  it('upstream selection: what reaches no Worker (unmatched, negated) goes to the home shard', () => {
    expect(first?.pick(request('nowhere.example.org', '/'))?.url).toBe('http://h:1');
    expect(first?.pick(request('example.com', '/api/static/logo.png'))?.url).toBe('http://h:1');
  });

  it('upstream selection: a release keeps the upstreams of shards that kept their address and retires the others', () => {
    const second = selectUpstreams(upstreams({ home: 'http://h:1', s1: 'http://a:2', s2: 'http://b:1' }), first, connect, retire);
    expect(connected).toEqual(['http://h:1', 'http://a:1', 'http://b:1', 'http://a:2']);
    expect(retired).toEqual(['http://a:1']);
    expect(second?.pick(request('example.com', '/about'))).toBe(first?.pick(request('example.com', '/about')));
    // A shard that is down (no address) has no upstream: the listener answers 503.
    const down = selectUpstreams(upstreams({ home: 'http://h:1', s2: 'http://b:1' }), second, connect, retire);
    expect(down?.pick(request('example.com', '/api/x'))).toBeUndefined();
    expect(selectUpstreams(undefined, down, connect, retire)).toBeUndefined();
    expect(retired).toEqual(['http://a:1', 'http://a:2', 'http://h:1', 'http://b:1']);
  });

  it('upstream selection: with one shard running every script, that shard takes every request (its router answers the rest as home would)', () => {
    const one = selectUpstreams({ urls: { home: 'http://h:1', s1: 'http://a:1' }, home: 'home', routing: { table: buildDispatchTable(account), shardOf: { api: 's1', site: 's1' } } }, undefined, (url) => ({ url }), () => undefined);
    expect(one?.pick(request('example.com', '/api/x'))?.url).toBe('http://a:1');
    expect(one?.pick(request('nowhere.example.org', '/'))?.url).toBe('http://a:1');
    const none = selectUpstreams({ urls: { home: 'http://h:1' }, home: 'home', routing: { table: buildDispatchTable(account), shardOf: {} } }, undefined, (url) => ({ url }), () => undefined);
    expect(none?.pick(request('example.com', '/api/x'))?.url).toBe('http://h:1');
  });

  it('upstream selection: one address without routing takes every request', () => {
    const only = selectUpstreams(singleUpstream('http://only:1'), undefined, (url) => ({ url }), () => undefined);
    expect(only?.pick(request('anything.example', '/'))?.url).toBe('http://only:1');
  });
});
