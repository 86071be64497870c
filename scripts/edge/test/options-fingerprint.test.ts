/** The fingerprint that decides whether a shard restarts (dataplane/options-fingerprint.ts). */
import { Response as MiniflareResponse } from 'miniflare';
import { describe, expect, it } from 'vitest';
import { workersFingerprint } from '../src/dataplane/options-fingerprint.ts';
import { workersForSnapshot } from '../src/dataplane/worker-options.ts';
import { echoWorker, script, snapshot, version } from './dataplane-fixtures.ts';

const account = (source: string, text = 'a') =>
  snapshot({ scripts: [script('api', [version('v1', source, { bindings: [{ type: 'plain_text', name: 'MODE', text }] })])] });
const fingerprint = (source: string, text?: string) =>
  workersFingerprint(workersForSnapshot(account(source, text), 'router', { host: '127.0.0.1', port: 0 }, { script: 'tail', sink: async () => new MiniflareResponse(null) }));

describe('options fingerprint', () => {
  it('options fingerprint: equal Workers (modules in new arrays, a new sink function) fingerprint alike', () => {
    expect(fingerprint(echoWorker('api'))).toBe(fingerprint(echoWorker('api')));
  });

  it('options fingerprint: a module byte or a binding changes it', () => {
    expect(fingerprint(echoWorker('api'))).not.toBe(fingerprint(echoWorker('apj')));
    expect(fingerprint(echoWorker('api'), 'a')).not.toBe(fingerprint(echoWorker('api'), 'b'));
  });
});
