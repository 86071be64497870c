/**
 * The listener's choice of upstream (dataplane/upstream-selection.ts): by the account's dispatch
 * table, the shard's router (or, with version sockets, the chosen version Worker's own socket and
 * the public URL), the home shard for what reaches no Worker, and upstreams kept across releases
 * for addresses that did not change.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { buildDispatchTable } from '../src/dataplane/dispatch-table.ts';
import { pointForKey } from '../src/dataplane/version-split.ts';
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
    expect(first?.pick(request('example.com', '/api/users?x=1'))?.upstream.url).toBe('http://a:1');
    expect(first?.pick(request('Example.COM:8787', '/about'))?.upstream.url).toBe('http://b:1');
    expect(first?.pick(request('docs.example.com', '/'))?.upstream.url).toBe('http://b:1');
    expect(first?.pick(request('site.edgeops.workers.dev', '/'))?.upstream.url).toBe('http://b:1');
    // The path as workerd's URL parser normalises it: /x/../api/ is /api/.
    expect(first?.pick(request('example.com', '/x/../api/users'))?.upstream.url).toBe('http://a:1');
  });

  it('upstream selection: what reaches no Worker (unmatched, negated) goes to the home shard', () => {
    expect(first?.pick(request('nowhere.example.org', '/'))?.upstream.url).toBe('http://h:1');
    expect(first?.pick(request('example.com', '/api/static/logo.png'))?.upstream.url).toBe('http://h:1');
  });

  it('upstream selection: a release keeps the upstreams of shards that kept their address and retires the others', () => {
    const second = selectUpstreams(upstreams({ home: 'http://h:1', s1: 'http://a:2', s2: 'http://b:1' }), first, connect, retire);
    expect(connected).toEqual(['http://h:1', 'http://a:1', 'http://b:1', 'http://a:2']);
    expect(retired).toEqual(['http://a:1']);
    expect(second?.pick(request('example.com', '/about'))?.upstream).toBe(first?.pick(request('example.com', '/about'))?.upstream);
    // A shard that is down (no address) has no upstream: the listener answers 503.
    const down = selectUpstreams(upstreams({ home: 'http://h:1', s2: 'http://b:1' }), second, connect, retire);
    expect(down?.pick(request('example.com', '/api/x'))).toBeUndefined();
    expect(selectUpstreams(undefined, down, connect, retire)).toBeUndefined();
    expect(retired).toEqual(['http://a:1', 'http://a:2', 'http://h:1', 'http://b:1']);
  });

  it('upstream selection: with one shard running every script, what reaches no Worker still goes to the home router', () => {
    const one = selectUpstreams({ urls: { home: 'http://h:1', s1: 'http://a:1' }, home: 'home', routing: { table: buildDispatchTable(account), shardOf: { api: 's1', site: 's1' } } }, undefined, (url) => ({ url }), () => undefined);
    expect(one?.pick(request('example.com', '/api/x'))?.upstream.url).toBe('http://a:1');
    expect(one?.pick(request('nowhere.example.org', '/'))?.upstream.url).toBe('http://h:1');
    const none = selectUpstreams({ urls: { home: 'http://h:1' }, home: 'home', routing: { table: buildDispatchTable(account), shardOf: {} } }, undefined, (url) => ({ url }), () => undefined);
    expect(none?.pick(request('example.com', '/api/x'))?.upstream.url).toBe('http://h:1');
  });

  it('upstream selection: one address without routing takes every request', () => {
    const only = selectUpstreams(singleUpstream('http://only:1'), undefined, (url) => ({ url }), () => undefined);
    expect(only?.pick(request('anything.example', '/'))?.upstream.url).toBe('http://only:1');
  });

  describe('straight to a version Worker', () => {
    const split = snapshot({
      scripts: [script('api', [version('a1', echoWorker('api'), { percentage: 90 }), version('a2', echoWorker('api'), { percentage: 10 })]), script('idle', [])],
      routes: [
        { zoneName: 'example.com', pattern: 'example.com/api/*', script: 'api' },
        { zoneName: 'example.com', pattern: 'example.com/idle/*', script: 'idle' },
      ],
    });
    const direct = (random: () => number, versionUrls: Record<string, string> = { 'api@a1': 'http://v:1', 'api@a2': 'http://v:2' }) =>
      selectUpstreams(
        { urls: { home: 'http://h:1', s1: 'http://a:1' }, home: 'home', routing: { table: buildDispatchTable(split), shardOf: { api: 's1' }, versionUrls } },
        undefined,
        (url) => ({ url }),
        () => undefined,
        random,
      );

    it('upstream selection: a request reaching a deployed script goes to the version the split picks, with the public URL (scheme from X-Forwarded-Proto, no port)', () => {
      const low = direct(() => 0.5)?.pick(request('Example.COM:8787', '/x/../api/users?q=1', { 'x-forwarded-proto': 'https' }));
      expect(low).toEqual({ upstream: { url: 'http://v:1' }, publicUrl: 'https://example.com/api/users?q=1' });
      expect(direct(() => 0.95)?.pick(request('example.com', '/api/users'))).toEqual({ upstream: { url: 'http://v:2' }, publicUrl: 'http://example.com/api/users' });
    });

    it('upstream selection: the version override and version key headers pick the version as the router does', () => {
      const selection = direct(() => 0);
      expect(selection?.pick(request('example.com', '/api/x', { 'cloudflare-workers-version-overrides': 'api="a2"' }))?.upstream.url).toBe('http://v:2');
      // An override naming a version not deployed is ignored.
      expect(selection?.pick(request('example.com', '/api/x', { 'cloudflare-workers-version-overrides': 'api="zz"' }))?.upstream.url).toBe('http://v:1');
      const keyed = (key: string) => selection?.pick(request('example.com', '/api/x', { 'cloudflare-workers-version-key': key }))?.upstream.url;
      // The key's point on the 0–100 line (version-split.ts pointForKey): alice 74.79 (a1's 90 %), dave 94.71 (a2's 10 %).
      expect([pointForKey('alice'), pointForKey('dave')]).toEqual([74.79, 94.71]);
      expect([keyed('alice'), keyed('dave'), keyed('dave')]).toEqual(['http://v:1', 'http://v:2', 'http://v:2']);
    });

    it('upstream selection: a script without a deployment goes to the home router; a version without a socket to its shard router', () => {
      expect(direct(() => 0)?.pick(request('example.com', '/idle/x'))).toEqual({ upstream: { url: 'http://h:1' } });
      expect(direct(() => 0, { 'api@a2': 'http://v:2' })?.pick(request('example.com', '/api/x'))).toEqual({ upstream: { url: 'http://a:1' } });
    });
  });
});
