import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeSpan, escapeText } from '../markdown.ts';
import { fromReconcilerPlan, type PlanSummaryInput } from '../plan-input.ts';
import { GITHUB_COMMENT_LIMIT, PLAN_COMMENT_MARKER, renderPlanComment } from '../render-comment.ts';
import { reconcilerPlan, typicalPlan } from './support/plans.ts';

/** Reading the reconciler's plan JSON, and the Markdown the PR comment shows. */

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('plan input: reading the reconciler plan JSON', () => {
  it('counts services by status, treating deploy as update and a removal prune skips as no change', () => {
    const input = fromReconcilerPlan(roundTrip(typicalPlan()));
    expect(input.summary).toEqual({ create: 1, update: 1, delete: 0, unchanged: 2 });
    expect(input.target).toBe('cloudflare');
  });

  it('counts a removal that prune executes as a delete', () => {
    const plan = reconcilerPlan({
      services: [{ service: 'legacy', status: 'delete', deployed: '0.1.0' }],
      actions: [{ kind: 'delete-script', service: 'legacy', prune: true, reason: 'service is no longer declared in git' }],
    });
    expect(fromReconcilerPlan(roundTrip(plan)).summary).toEqual({ create: 0, update: 0, delete: 1, unchanged: 0 });
  });

  it('names what each action touches: version, deployment split, route, domain, crons, tags', () => {
    const plan = reconcilerPlan({
      services: [{ service: 'orders', status: 'update', declared: '1.3.0' }],
      actions: [
        { kind: 'upload-version', service: 'orders', tag: '1.3.0', hash: 'sha256:bb', secrets: [], reason: 'r1' },
        { kind: 'deploy', service: 'orders', versions: [{ version: { kind: 'existing', id: 'v-1', tag: '1.2.0' }, percentage: 100 }], reason: 'rollback is a commit' },
        { kind: 'update-route', service: 'orders', zoneId: 'z', zoneName: 'example.com', routeId: 'r', pattern: 'example.com/orders/*', from: 'users', reason: 'r3' },
        { kind: 'attach-domain', service: 'orders', hostname: 'orders.example.com', zoneId: 'z', zoneName: 'example.com', reason: 'r4' },
        { kind: 'put-schedules', service: 'orders', crons: ['*/5 * * * *'], reason: 'r5' },
        { kind: 'update-settings', service: 'orders', tags: ['edgeops', 'team:checkout'], reason: 'r6' },
      ],
    });
    const targets = fromReconcilerPlan(roundTrip(plan)).services[0]?.actions.map((action) => action.target);
    expect(targets).toEqual(['version 1.3.0', '1.2.0', 'example.com/orders/*', 'orders.example.com', 'crons */5 * * * *', 'tags edgeops, team:checkout']);
  });

  it('renders every action kind with its symbol and what it acts on, as the reconciler names them (queue consumers included)', () => {
    const plan = reconcilerPlan({
      services: [{ service: 'notifications', status: 'update', declared: '1.1.0' }],
      actions: [
        { kind: 'put-queue-consumer', service: 'notifications', queue: 'order-events', settings: { batch_size: 10 }, reason: 'new queue consumer' },
        { kind: 'delete-queue-consumer', service: 'notifications', queue: 'old-events', queueId: 'q2', consumerId: 'c2', reason: 'no longer declared in git' },
      ],
    });
    const body = renderPlanComment(fromReconcilerPlan(roundTrip(plan)));
    expect(body).toContain('| ~ put-queue-consumer | `queue order-events ← notifications` | new queue consumer |');
    expect(body).toContain('| - delete-queue-consumer | `queue old-events ← notifications` | no longer declared in git |');
    expect(body).not.toContain('·  put');
    expect(body).not.toMatch(/\| · /);
  });

  it('lists account-level actions (a queue, a KV namespace) under the account, not under a made-up service, and counts them as changes', () => {
    const plan = reconcilerPlan({
      services: [{ service: 'orders', status: 'unchanged', declared: '1.0.0', deployed: '1.0.0' }],
      actions: [
        { kind: 'create-queue', services: ['orders', 'notifications'], queue: 'order-events', reason: 'queue named in git does not exist' },
        { kind: 'create-kv-namespace', services: ['orders'], title: 'orders-store', reason: 'KV namespace named in git does not exist' },
      ],
    });
    const input = fromReconcilerPlan(roundTrip(plan));
    expect(input.account.map((action) => `${action.symbol} ${action.target}`)).toEqual(['+ queue order-events', '+ KV namespace orders-store (never deleted)']);
    expect(input.services[0]?.actions).toEqual([]);
    const body = renderPlanComment(input);
    expect(body).toContain('**Plan:** 0 to create, 0 to update, 0 to delete, 1 unchanged. 2 account-level actions (queues, KV namespaces, D1 databases).');
    expect(body).toContain('#### `account` · queues, KV namespaces, D1 databases');
    expect(body).toContain('| + create-queue | `queue order-events` | queue named in git does not exist |');
  });

  it('joins an error\'s file and key (or its service) into where it happened', () => {
    const plan = reconcilerPlan({ errors: [{ file: 'services/a/wrangler.toml', key: 'routes[1]', message: 'm1' }, { service: 'b', message: 'm2' }, { message: 'm3' }] });
    expect(fromReconcilerPlan(roundTrip(plan)).errors).toEqual([{ where: 'services/a/wrangler.toml routes[1]', message: 'm1' }, { where: 'b', message: 'm2' }, { message: 'm3' }]);
  });

  it('refuses JSON that is not a plan, naming the missing field', () => {
    expect(() => fromReconcilerPlan({ services: [] })).toThrow(/waves/);
  });
});

describe('plan comment: Markdown', () => {
  it('starts with the hidden marker, then the summary line, then a table per changed service', () => {
    const body = renderPlanComment(fromReconcilerPlan(roundTrip(typicalPlan())), { commit: '0123456789abcdef', runUrl: 'https://github.com/o/r/actions/runs/1' });
    const lines = body.split('\n');
    expect(lines[0]).toBe(PLAN_COMMENT_MARKER);
    expect(body).toContain('**Plan:** 1 to create, 1 to update, 0 to delete, 2 unchanged. 1 removal shown but not applied (prune is off).');
    expect(body).toContain('#### `orders` · deploy\n\n| action | what | reason |\n| --- | --- | --- |\n| ~ upload-version | `version 1.3.0` | content sha256:bb… changed, version 1.2.0 → 1.3.0 |\n| > deploy | `1.3.0 10% / 1.2.0 90%` | gradual rollout declared in git |');
    expect(body).toContain('| - delete-script | `script legacy` | service is no longer declared in git *(not applied: prune is off)* |');
    expect(body).toContain('Unchanged: `billing`, `gateway`');
    expect(body).toContain('commit `0123456789ab` · [workflow run](https://github.com/o/r/actions/runs/1)');
    expect(body).not.toContain('Truncated');
  });

  it('says "No changes" when nothing would change', () => {
    const plan = reconcilerPlan({ services: [{ service: 'users', status: 'unchanged', declared: '1.0.0', deployed: '1.0.0' }] });
    expect(renderPlanComment(fromReconcilerPlan(roundTrip(plan)))).toContain('**No changes.** 1 unchanged.');
  });

  it('keeps a table intact when a reason or pattern holds pipes, backticks or Markdown', () => {
    const input: PlanSummaryInput = {
      services: [{ name: 'odd', status: 'update', actions: [{ kind: 'create-route', symbol: '+', target: 'a.com/`x`|y/*', reason: 'because | *bold* <b>html</b>\nsecond line' }] }],
      account: [],
      summary: { create: 0, update: 1, delete: 0, unchanged: 0 },
      errors: [],
    };
    const row = renderPlanComment(input).split('\n').find((line) => line.startsWith('| + create-route'));
    expect(row).toBe('| + create-route | ``a.com/`x`\\|y/*`` | because \\| \\*bold\\* \\<b\\>html\\</b\\> second line |');
    // Exactly four unescaped pipes: the row has three cells.
    expect(row?.match(/(?<!\\)\|/g)).toHaveLength(4);
  });

  it('escapes with a backslash and fences code spans longer than their backtick runs', () => {
    expect(escapeText('a_b*c')).toBe('a\\_b\\*c');
    expect(codeSpan('``x``')).toBe('``` ``x`` ```');
  });

  it('stays under the limit for any plan size, cutting at a row with a note saying what was left out', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 2_000, max: GITHUB_COMMENT_LIMIT }),
        (serviceCount, actionsEach, reasonLength, errorCount, maxLength) => {
          const input: PlanSummaryInput = {
            services: Array.from({ length: serviceCount }, (_unused, index) => ({
              name: `svc-${index}`,
              status: actionsEach > 0 ? 'update' : 'unchanged',
              actions: Array.from({ length: actionsEach }, (_none, action) => ({ kind: 'create-route', symbol: '+', target: `svc-${index}.example.com/${action}/*`, reason: 'r'.repeat(reasonLength) })),
            })),
            account: [],
            summary: { create: 0, update: actionsEach > 0 ? serviceCount : 0, delete: 0, unchanged: actionsEach > 0 ? 0 : serviceCount },
            errors: Array.from({ length: errorCount }, (_unused, index) => ({ message: `error ${index} ${'e'.repeat(reasonLength)}` })),
          };
          const body = renderPlanComment(input, { maxLength, runUrl: 'https://github.com/o/r/actions/runs/123456789' });
          expect(body.length).toBeLessThanOrEqual(maxLength);
          expect(body.startsWith(`${PLAN_COMMENT_MARKER}\n`)).toBe(true);
          expect(body.trimEnd().endsWith('</sub>')).toBe(true);
          const everything = renderPlanComment(input, { maxLength: Number.MAX_SAFE_INTEGER, runUrl: 'https://github.com/o/r/actions/runs/123456789' });
          expect(body.includes('Truncated to fit')).toBe(everything.length > maxLength);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('shows the errors before the tables, so truncation never hides why a plan failed', () => {
    const input = fromReconcilerPlan(
      roundTrip(
        reconcilerPlan({
          services: Array.from({ length: 2_000 }, (_unused, index) => ({ service: `svc-${index}`, status: 'create' as const, declared: '1.0.0' })),
          actions: Array.from({ length: 2_000 }, (_unused, index) => ({ kind: 'create-script' as const, service: `svc-${index}`, tag: '1.0.0', hash: 'h', secrets: [], reason: 'new service' })),
          errors: [{ file: 'wrangler.toml', key: 'gitops.owner', message: 'expected a non-empty string' }],
        }),
      ),
    );
    const body = renderPlanComment(input);
    expect(body.indexOf('`wrangler.toml gitops.owner`: expected a non-empty string')).toBeLessThan(body.indexOf('#### `svc-0`'));
    expect(body).toMatch(/Truncated to fit GitHub's 65536-character comment limit: \d+ actions, \d+ more services not shown/);
  });
});
