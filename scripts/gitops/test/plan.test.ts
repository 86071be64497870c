import { describe, expect, it } from 'vitest';
import { actionService } from '../plan/action.ts';
import { resolveBinding } from '../desired/resource-kinds.ts';
import { makePlan, type PlanOptions } from '../plan/make-plan.ts';
import { planActions, type Plan } from '../plan/plan.ts';
import type { DesiredState } from '../state/desired.ts';
import type { ObservedScript, ObservedState } from '../state/observed.ts';
import { deployedScript, desiredState, observedState, planOptions as options, route, service } from './support/builders.ts';

/** Each action as one line, `kind service detail`, so expectations read like the plan table. */
function lines(plan: Plan): string[] {
  return planActions(plan).map((action) => {
    switch (action.kind) {
      case 'deploy':
        return `deploy ${action.service} ${action.versions
          .map((target) => `${target.version.kind === 'existing' ? target.version.id : `new:${target.version.tag}`}@${target.percentage}`)
          .join(',')}`;
      case 'create-script':
      case 'upload-version':
        return `${action.kind} ${action.service} ${action.tag}${action.secrets.length ? ` secrets=${action.secrets.join(',')}` : ''}`;
      case 'put-schedules':
        return `put-schedules ${action.service} [${action.crons.join('|')}]`;
      case 'create-route':
      case 'update-route':
      case 'delete-route':
        return `${action.kind} ${action.service} ${action.pattern}`;
      case 'attach-domain':
      case 'detach-domain':
        return `${action.kind} ${action.service} ${action.hostname}`;
      case 'update-settings':
        return `update-settings ${action.service} tags=${action.tags.join(',')}`;
      case 'delete-script':
        return `delete-script ${action.service}`;
      case 'create-queue':
        return `create-queue ${action.queue}`;
      case 'put-queue-consumer':
        return `put-queue-consumer ${action.service} ${action.queue}${action.consumerId ? ` replaces ${action.consumerId}` : ''}`;
      case 'delete-queue-consumer':
        return `delete-queue-consumer ${action.service} ${action.queue}`;
      case 'create-kv-namespace':
        return `create-kv-namespace ${action.title}`;
      case 'create-d1-database':
        return `create-d1-database ${action.database}`;
      case 'apply-d1-migrations':
        return `apply-d1-migrations ${action.service} ${action.database} ${action.migrations.map((migration) => migration.name).join(',')}`;
      case 'deploy-migrations':
        return `deploy-migrations ${action.service} ${action.tag} ${action.migrations.old_tag ?? '-'}→${action.migrations.new_tag}`;
      case 'create-r2-bucket':
        return `create-r2-bucket ${action.bucket}`;
    }
  });
}

const users = service('users', { routes: [route('example.com/users*')] });
const usersDeployed = deployedScript('users', '1.0.0', users.contentHash);
const usersRoute = { id: 'r-users', zoneId: 'zone-1', pattern: 'example.com/users*', script: 'users' };

/** users serving a local prerelease (content c…c), uploaded after 1.0.0. */
const localPrerelease = (overrides: Partial<ObservedScript> = {}) =>
  deployedScript('users', '1.0.0-local.cccccccc', 'c'.repeat(64), {
    versions: [
      { id: 'users-v0', number: 1, tag: '1.0.0', hash: users.contentHash },
      { id: 'users-v1', number: 2, tag: '1.0.0-local.cccccccc', hash: 'c'.repeat(64) },
    ],
    ...overrides,
  });

/** users mid-rollout on the account: 1.1.0 (content b…) at 10% beside 1.0.0 at 90%. */
const midRollout = (historyListed = true) =>
  observedState({
    scripts: [
      {
        name: 'users',
        deployment: [
          { versionId: 'users-v2', percentage: 10 },
          { versionId: 'users-v1', percentage: 90 },
        ],
        versions: [
          { id: 'users-v1', number: 1, tag: '1.0.0', hash: users.contentHash },
          { id: 'users-v2', number: 2, tag: '1.1.0', hash: 'b'.repeat(64) },
        ],
        historyListed,
      },
    ],
    routes: [usersRoute],
  });

/** git after aborting that rollout: version back to the stable 1.0.0, the rollout key kept, 1.1.0's code still there. */
const rolloutSetBack = () =>
  service('users', { version: '1.0.0', contentHash: 'b'.repeat(64), routes: users.routes, rollout: { stable: '1.0.0', percentage: 10, source: { file: 'p', key: 'edgeops.rollout' } } });

interface Case {
  name: string;
  desired: DesiredState;
  observed: ObservedState;
  options?: Partial<PlanOptions>;
  actions?: string[];
  skipped?: string[];
  errors?: RegExp[];
}

const cases: Case[] = [
  {
    name: 'plan: creates every service, its routes and triggers on an empty account',
    desired: desiredState([users, service('cron', { crons: ['*/5 * * * *'] })]),
    observed: observedState(),
    actions: ['create-script users 1.0.0', 'create-script cron 1.0.0', 'put-schedules cron [*/5 * * * *]', 'create-route users example.com/users*'],
  },
  {
    name: 'plan: is empty when the deployed tag and content hash match git',
    desired: desiredState([users]),
    observed: observedState({ scripts: [usersDeployed], routes: [usersRoute] }),
    actions: [],
  },
  {
    name: 'plan: uploads and deploys a bumped version',
    desired: desiredState([service('users', { version: '1.1.0', contentHash: 'b'.repeat(64), routes: users.routes })]),
    observed: observedState({ scripts: [usersDeployed], routes: [usersRoute] }),
    actions: ['upload-version users 1.1.0', 'deploy users new:1.1.0@100'],
  },
  {
    name: 'plan: refuses same version with different content on the cloudflare target',
    desired: desiredState([service('users', { contentHash: 'c'.repeat(64), routes: users.routes })]),
    observed: observedState({ scripts: [usersDeployed], routes: [usersRoute] }),
    errors: [/version 1\.0\.0 is already uploaded with different content.*bump the version/],
  },
  {
    name: 'plan: on the local target, tags an unbumped change with a prerelease derived from the hash',
    desired: desiredState([service('users', { contentHash: 'c'.repeat(64), routes: users.routes })]),
    observed: observedState({ scripts: [usersDeployed], routes: [usersRoute] }),
    options: { target: 'local' },
    actions: ['upload-version users 1.0.0-local.cccccccc', 'deploy users new:1.0.0-local.cccccccc@100'],
  },
  {
    name: 'plan: on the local target, a deployed local prerelease with the same hash is unchanged',
    desired: desiredState([service('users', { contentHash: 'c'.repeat(64), routes: users.routes })]),
    observed: observedState({
      scripts: [
        localPrerelease(),
      ],
      routes: [usersRoute],
    }),
    options: { target: 'local' },
    actions: [],
  },
  {
    name: 'plan: rollback deploys an earlier uploaded version without an upload',
    desired: desiredState([service('users', { version: '1.0.0', contentHash: users.contentHash, routes: users.routes })]),
    observed: observedState({
      scripts: [
        {
          name: 'users',
          deployment: [{ versionId: 'users-v2', percentage: 100 }],
          versions: [
            { id: 'users-v1', number: 1, tag: '1.0.0', hash: users.contentHash },
            { id: 'users-v2', number: 2, tag: '1.1.0', hash: 'b'.repeat(64) },
          ],
          historyListed: true,
        },
      ],
      routes: [usersRoute],
    }),
    actions: ['deploy users users-v1@100'],
  },
  {
    name: 'plan: a gradual rollout becomes a two-version deployment',
    desired: desiredState([
      service('users', { version: '1.1.0', contentHash: 'b'.repeat(64), routes: users.routes, rollout: { stable: '1.0.0', percentage: 10, source: { file: 'p', key: 'edgeops.rollout' } } }),
    ]),
    observed: observedState({ scripts: [{ ...usersDeployed, historyListed: true }], routes: [usersRoute] }),
    actions: ['upload-version users 1.1.0', 'deploy users new:1.1.0@10,users-v1@90'],
  },
  {
    name: 'plan: a rollout whose percentages are already deployed is unchanged',
    desired: desiredState([
      service('users', { version: '1.1.0', contentHash: 'b'.repeat(64), routes: users.routes, rollout: { stable: '1.0.0', percentage: 10, source: { file: 'p', key: 'edgeops.rollout' } } }),
    ]),
    observed: midRollout(false),
    actions: [],
  },
  {
    name: 'plan: a rollout naming a version never uploaded is an error',
    desired: desiredState([
      service('users', { version: '1.1.0', contentHash: 'b'.repeat(64), rollout: { stable: '0.9.0', percentage: 10, source: { file: 'services/users/package.json', key: 'edgeops.rollout' } } }),
    ]),
    observed: observedState({ scripts: [{ ...usersDeployed, historyListed: true }] }),
    errors: [/stable version 0\.9\.0 was never uploaded/],
  },
  {
    name: 'plan: aborting a rollout (version set back to the stable one, rollout kept) deploys the stable version at 100% without an upload (cloudflare)',
    desired: desiredState([
      rolloutSetBack(),
    ]),
    observed: midRollout(),
    actions: ['deploy users users-v1@100'],
  },
  {
    name: 'plan: aborting a rollout works alike on the local target (no local prerelease upload)',
    desired: desiredState([
      rolloutSetBack(),
    ]),
    observed: midRollout(),
    options: { target: 'local' },
    actions: ['deploy users users-v1@100'],
  },
  {
    name: 'plan: setting the version back without keeping the rollout is the "bump the version" error, which says how to abort',
    desired: desiredState([service('users', { version: '1.0.0', contentHash: 'b'.repeat(64), routes: users.routes })]),
    observed: midRollout(),
    errors: [/version 1\.0\.0 is already uploaded with different content.*bump the version \(aborting a gradual rollout\? keep "edgeops\.rollout" with "stable" set to this version, or `git revert`/],
  },
  {
    name: 'plan: on the cloudflare target a deployed local prerelease does not stand for its version: same version, other content uploaded before is the bump error',
    desired: desiredState([service('users', { contentHash: 'c'.repeat(64) })]),
    observed: observedState({
      scripts: [
        localPrerelease({ historyListed: true }),
      ],
    }),
    errors: [/version 1\.0\.0 is already uploaded with different content.*bump the version/],
  },
  {
    name: 'plan: no cron action for a changed service that declares no crons when the account has none',
    desired: desiredState([service('users', { version: '1.1.0', contentHash: 'b'.repeat(64) })]),
    observed: observedState({ scripts: [deployedScript('users', '1.0.0', users.contentHash, { schedules: [] })] }),
    actions: ['upload-version users 1.1.0', 'deploy users new:1.1.0@100'],
  },
  {
    name: 'plan: crons the account has but git no longer declares are cleared',
    desired: desiredState([service('users', { version: '1.1.0', contentHash: 'b'.repeat(64) })]),
    observed: observedState({ scripts: [deployedScript('users', '1.0.0', users.contentHash, { schedules: ['*/5 * * * *'] })] }),
    actions: ['upload-version users 1.1.0', 'deploy users new:1.1.0@100', 'put-schedules users []'],
  },
  {
    name: 'plan: adds a route git declares',
    desired: desiredState([service('users', { routes: [route('example.com/users*'), route('example.com/u/*', 'routes.1')] })]),
    observed: observedState({ scripts: [usersDeployed], routes: [usersRoute] }),
    actions: ['create-route users example.com/u/*'],
  },
  {
    name: 'plan: moves a route to the service that now declares it',
    desired: desiredState([service('users'), service('orders', { routes: [route('example.com/users*')] })]),
    observed: observedState({ scripts: [usersDeployed, deployedScript('orders', '1.0.0', service('orders').contentHash)], routes: [usersRoute] }),
    actions: ['update-route orders example.com/users*'],
  },
  {
    name: 'plan: deletes a route that git no longer declares',
    desired: desiredState([service('users')]),
    observed: observedState({ scripts: [usersDeployed], routes: [usersRoute] }),
    actions: ['delete-route users example.com/users*'],
  },
  {
    name: 'plan: a pattern held by a script the fleet does not own is a conflict',
    desired: desiredState([users]),
    observed: observedState({ scripts: [usersDeployed], foreignScripts: ['legacy'], routes: [{ ...usersRoute, script: 'legacy' }] }),
    errors: [/held by script "legacy", which the fleet does not own.*--adopt/],
  },
  {
    name: 'plan: with adopt, a foreign route is taken over',
    desired: desiredState([users]),
    observed: observedState({ scripts: [usersDeployed], foreignScripts: ['legacy'], routes: [{ ...usersRoute, script: 'legacy' }] }),
    options: { adopt: true },
    actions: ['update-route users example.com/users*'],
  },
  {
    name: 'plan: a script of the same name without the owner tag is a conflict',
    desired: desiredState([users]),
    observed: observedState({ foreignScripts: ['users'] }),
    errors: [/a script named "users" exists on the account without the owner tag "edgeops"/],
  },
  {
    name: 'plan: leaves foreign routes and scripts alone when git does not mention them',
    desired: desiredState([users]),
    observed: observedState({ scripts: [usersDeployed], foreignScripts: ['legacy'], routes: [usersRoute, { id: 'r2', zoneId: 'zone-1', pattern: 'example.com/legacy*', script: 'legacy' }] }),
    actions: [],
  },
  {
    name: 'plan: shows removed services but does not prune them without prune',
    desired: desiredState([users]),
    observed: observedState({ scripts: [usersDeployed, deployedScript('old', '1.0.0', 'o'.repeat(64))], routes: [usersRoute, { id: 'r-old', zoneId: 'zone-1', pattern: 'example.com/old*', script: 'old' }] }),
    actions: [],
    skipped: ['delete-route old example.com/old*', 'delete-script old'],
  },
  {
    name: 'plan: prunes removed services with prune, routes before the script',
    desired: desiredState([users]),
    observed: observedState({ scripts: [usersDeployed, deployedScript('old', '1.0.0', 'o'.repeat(64))], routes: [usersRoute, { id: 'r-old', zoneId: 'zone-1', pattern: 'example.com/old*', script: 'old' }] }),
    options: { prune: true },
    actions: ['delete-route old example.com/old*', 'delete-script old'],
  },
  {
    name: 'plan: the [gitops] prune switch prunes like --prune',
    desired: desiredState([users], { prune: true }),
    observed: observedState({ scripts: [usersDeployed, deployedScript('old', '1.0.0', 'o'.repeat(64))], routes: [usersRoute] }),
    actions: ['delete-script old'],
  },
  {
    name: 'plan: a declared secret missing on the account and not supplied is an error',
    desired: desiredState([service('users', { secrets: ['API_KEY'] })]),
    observed: observedState(),
    errors: [/secret "API_KEY" is declared but missing.*EDGEOPS_SECRET_USERS_API_KEY/],
  },
  {
    name: 'plan: a supplied secret goes with the upload of a new service',
    desired: desiredState([service('users', { secrets: ['API_KEY'], suppliedSecrets: ['API_KEY'] })]),
    observed: observedState(),
    actions: ['create-script users 1.0.0 secrets=API_KEY'],
  },
  {
    name: 'plan: a secret missing on an unchanged service is uploaded with a new version of the same tag',
    desired: desiredState([service('users', { secrets: ['API_KEY'], suppliedSecrets: ['API_KEY'] })]),
    observed: observedState({ scripts: [deployedScript('users', '1.0.0', service('users').contentHash, { secrets: [] })] }),
    actions: ['upload-version users 1.0.0 secrets=API_KEY', 'deploy users new:1.0.0@100'],
  },
  {
    name: 'plan: a secret already on the account is not uploaded again',
    desired: desiredState([service('users', { secrets: ['API_KEY'], suppliedSecrets: ['API_KEY'] })]),
    observed: observedState({ scripts: [deployedScript('users', '1.0.0', service('users').contentHash, { secrets: ['API_KEY'] })] }),
    actions: [],
  },
  {
    name: 'plan: changed cron triggers are put without a new version',
    desired: desiredState([service('cron', { crons: ['0 * * * *'] })]),
    observed: observedState({ scripts: [deployedScript('cron', '1.0.0', service('cron').contentHash, { schedules: ['*/5 * * * *'] })] }),
    actions: ['put-schedules cron [0 * * * *]'],
  },
  {
    name: 'plan: a route in a zone the account does not have is an error naming the file and key',
    desired: desiredState([service('users', { routes: [{ pattern: 'other.org/*', customDomain: false, source: { file: 'services/users/wrangler.toml', key: 'routes.0' } }] })]),
    observed: observedState(),
    errors: [/route "other\.org\/\*": no zone on the account contains host "other\.org"/],
  },
  {
    name: 'plan: attaches and detaches custom domains',
    desired: desiredState([service('users', { routes: [{ pattern: 'users.example.com', customDomain: true, source: { file: 'f', key: 'routes.0' } }] })]),
    observed: observedState({
      scripts: [usersDeployed],
      domains: [{ id: 'd1', hostname: 'old.example.com', service: 'users', zoneId: 'zone-1' }],
    }),
    actions: ['attach-domain users users.example.com', 'detach-domain users old.example.com'],
  },
  {
    name: 'plan: creates missing queues first and registers queue consumers',
    desired: desiredState([
      service('orders', { producerQueues: ['events'] }),
      service('mailer', { queueConsumers: [{ queue: 'events', settings: { batch_size: 10 }, source: { file: 'f', key: 'queues.consumers.0' } }] }),
    ]),
    observed: observedState(),
    actions: ['create-queue events', 'create-script orders 1.0.0', 'create-script mailer 1.0.0', 'put-queue-consumer mailer events'],
  },
  {
    name: 'plan: a registered consumer with the declared settings is unchanged',
    desired: desiredState([service('mailer', { queueConsumers: [{ queue: 'events', settings: { batch_size: 10 }, source: { file: 'f', key: 'k' } }] })]),
    observed: observedState({
      scripts: [deployedScript('mailer', '1.0.0', service('mailer').contentHash)],
      queues: [{ id: 'q1', name: 'events', consumers: [{ id: 'c1', type: 'worker', script: 'mailer', settings: { batch_size: 10 } }] }],
    }),
    actions: [],
  },
  {
    name: 'plan: updates a consumer whose settings changed and drops one git no longer declares',
    desired: desiredState([service('mailer', { queueConsumers: [{ queue: 'events', settings: { batch_size: 5 }, source: { file: 'f', key: 'k' } }] })]),
    observed: observedState({
      scripts: [deployedScript('mailer', '1.0.0', service('mailer').contentHash)],
      queues: [
        { id: 'q1', name: 'events', consumers: [{ id: 'c1', type: 'worker', script: 'mailer', settings: { batch_size: 10 } }] },
        { id: 'q2', name: 'old', consumers: [{ id: 'c2', type: 'worker', script: 'mailer', settings: {} }] },
      ],
    }),
    actions: ['put-queue-consumer mailer events replaces c1', 'delete-queue-consumer mailer old'],
  },
  {
    name: 'plan: a queue consumed by a script the fleet does not own is a conflict',
    desired: desiredState([service('mailer', { queueConsumers: [{ queue: 'events', settings: {}, source: { file: 'f', key: 'k' } }] })]),
    observed: observedState({
      foreignScripts: ['other'],
      queues: [{ id: 'q1', name: 'events', consumers: [{ id: 'c1', type: 'worker', script: 'other', settings: {} }] }],
    }),
    errors: [/queue "events" is consumed by script "other", which the fleet does not own/],
  },
  {
    name: 'plan: --only limits the actions to one service',
    desired: desiredState([service('users', { version: '2.0.0', contentHash: 'b'.repeat(64) }), service('orders')]),
    observed: observedState({ scripts: [deployedScript('users', '1.0.0', service('users').contentHash)] }),
    options: { only: 'orders' },
    actions: ['create-script orders 1.0.0'],
  },
];

describe('plan (pure, table-driven)', () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const plan = makePlan(testCase.desired, testCase.observed, options(testCase.options));
      if (testCase.errors) {
        expect(plan.errors.map((error) => error.message)).toEqual(testCase.errors.map((pattern) => expect.stringMatching(pattern)));
        expect(planActions(plan)).toEqual([]);
        return;
      }
      expect(plan.errors).toEqual([]);
      expect(lines(plan)).toEqual(testCase.actions ?? []);
      if (testCase.skipped) {
        expect(
          lines({ ...plan, waves: [{ phase: 'removals', level: 0, actions: plan.skipped }] }),
        ).toEqual(testCase.skipped);
      }
    });
  }

  it('plan: orders service-binding targets before the services that bind to them', () => {
    const desired = desiredState([service('orders', { dependsOn: ['users'] }), service('gateway', { dependsOn: ['orders'] }), service('users')]);
    const plan = makePlan(desired, observedState(), options());
    const creates = plan.waves.filter((wave) => wave.phase === 'versions').map((wave) => wave.actions.map((action) => actionService(action)));
    expect(creates).toEqual([['users'], ['orders'], ['gateway']]);
  });

  it('plan: every action carries a human reason', () => {
    const plan = makePlan(desiredState([users, service('cron', { crons: ['* * * * *'] })]), observedState(), options());
    for (const action of planActions(plan)) expect(action.reason.length).toBeGreaterThan(3);
  });

  it('plan: records a fingerprint that changes with the observed state', () => {
    const desired = desiredState([users]);
    const first = makePlan(desired, observedState({ scripts: [usersDeployed] }), options());
    const same = makePlan(desired, observedState({ scripts: [usersDeployed] }), options());
    const other = makePlan(desired, observedState({ scripts: [usersDeployed], routes: [usersRoute] }), options());
    expect(first.fingerprint).toBe(same.fingerprint);
    expect(first.fingerprint).not.toBe(other.fingerprint);
  });

  it('plan: the service table says create / update / deploy / unchanged / delete', () => {
    const desired = desiredState([
      service('fresh'),
      service('bumped', { version: '2.0.0', contentHash: 'b'.repeat(64) }),
      service('rolled', { contentHash: 'r'.repeat(64) }),
      service('same'),
    ]);
    const observed = observedState({
      scripts: [
        deployedScript('bumped', '1.0.0', 'a'.repeat(64)),
        {
          name: 'rolled',
          deployment: [{ versionId: 'rolled-v2', percentage: 100 }],
          versions: [
            { id: 'rolled-v1', number: 1, tag: '1.0.0', hash: 'r'.repeat(64) },
            { id: 'rolled-v2', number: 2, tag: '1.1.0', hash: 'x'.repeat(64) },
          ],
          historyListed: true,
        },
        deployedScript('same', '1.0.0', service('same').contentHash),
        deployedScript('gone', '1.0.0', 'g'.repeat(64)),
      ],
    });
    const plan = makePlan(desired, observed, options());
    expect(Object.fromEntries(plan.services.map((row) => [row.service, row.status]))).toEqual({
      bumped: 'update',
      fresh: 'create',
      gone: 'delete',
      rolled: 'deploy',
      same: 'unchanged',
    });
  });
});

describe('plan: KV namespaces and D1 databases named without an id', () => {
  const kvSource = { file: 'services/sessions/wrangler.toml', key: 'kv_namespaces.0' };
  const sessions = service('sessions', {
    metadata: { main_module: 'index.js', bindings: [{ type: 'kv_namespace', name: 'STORE', namespace_title: 'sessions-store' }, { type: 'd1', name: 'DB', database_name: 'ledger' }] },
    resources: [
      { kind: 'kv-namespace', name: 'sessions-store', binding: 'STORE', source: kvSource },
      { kind: 'd1-database', name: 'ledger', binding: 'DB', source: { file: 'services/sessions/wrangler.toml', key: 'd1_databases.0' } },
    ],
  });
  const billing = service('billing', {
    metadata: { main_module: 'index.js', bindings: [{ type: 'd1', name: 'DB', database_name: 'ledger' }] },
    resources: [{ kind: 'd1-database', name: 'ledger', binding: 'DB', source: { file: 'services/billing/wrangler.toml', key: 'd1_databases.0' } }],
  });
  const explicit = service('legacy', { metadata: { main_module: 'index.js', bindings: [{ type: 'kv_namespace', name: 'STORE', namespace_id: '0f3c9a1d2b4e4f60a7c8d9e0f1a2b3c4' }] } });

  it('plan: creates a missing namespace and database in the first wave, before the upload that binds them', () => {
    const plan = makePlan(desiredState([sessions]), observedState(), options());
    expect(lines(plan)).toEqual(['create-d1-database ledger', 'create-kv-namespace sessions-store', 'create-script sessions 1.0.0']);
    expect(plan.waves.map((wave) => wave.phase)).toEqual(['resources', 'versions']);
    expect(plan.waves[0]?.actions.every((action) => action.reason.includes('never deleted'))).toBe(true);
  });

  it('plan: a resource two services name is created once, and kept for either under --only', () => {
    const plan = makePlan(desiredState([sessions, billing]), observedState({ kvNamespaces: [{ id: 'kv-1', name: 'sessions-store' }] }), options());
    expect(lines(plan)).toEqual(['create-d1-database ledger', 'create-script sessions 1.0.0', 'create-script billing 1.0.0']);
    const onlyBilling = makePlan(desiredState([sessions, billing]), observedState({ kvNamespaces: [{ id: 'kv-1', name: 'sessions-store' }] }), options({ only: 'billing' }));
    expect(lines(onlyBilling)).toEqual(['create-d1-database ledger', 'create-script billing 1.0.0']);
  });

  it('plan: needs nothing when the named resources exist, whatever their ids; apply resolves each name to the id it finds', async () => {
    for (const [kv, d1] of [['kv-1', 'd1-1'], ['kv-9', 'd1-9']] as const) {
      const observed = observedState({
        scripts: [deployedScript('sessions', '1.0.0', sessions.contentHash)],
        kvNamespaces: [{ id: kv, name: 'sessions-store' }],
        d1Databases: [{ id: d1, name: 'ledger' }],
      });
      expect(lines(makePlan(desiredState([sessions]), observed, options()))).toEqual([]);
    }
    const ids: Record<string, string> = { 'kv-namespace sessions-store': 'kv-9', 'd1-database ledger': 'd1-9' };
    const uploaded = await Promise.all(sessions.metadata.bindings.map((binding) => resolveBinding(binding, async (kind, name) => ids[`${kind} ${name}`] ?? 'unknown')));
    expect(uploaded).toEqual([
      { type: 'kv_namespace', name: 'STORE', namespace_id: 'kv-9' },
      { type: 'd1', name: 'DB', id: 'd1-9' },
    ]);
  });

  it('plan: a binding with an explicit id is uploaded as it is, with no resource action', () => {
    const plan = makePlan(desiredState([explicit]), observedState(), options());
    expect(lines(plan)).toEqual(['create-script legacy 1.0.0']);
  });

  it('plan: never deletes a namespace or database, even one no service names any more, even with --prune', () => {
    const observed = observedState({ kvNamespaces: [{ id: 'kv-1', name: 'sessions-store' }], d1Databases: [{ id: 'd1-1', name: 'ledger' }] });
    for (const prune of [false, true]) {
      const plan = makePlan(desiredState([service('other')]), observed, options({ prune }));
      expect(lines(plan)).toEqual(['create-script other 1.0.0']);
      expect(plan.skipped).toEqual([]);
    }
  });

  it('plan: two namespaces with the same title is an error naming the binding, not a guess', () => {
    const plan = makePlan(desiredState([sessions]), observedState({ kvNamespaces: [{ id: 'kv-1', name: 'sessions-store' }, { id: 'kv-2', name: 'sessions-store' }], d1Databases: [{ id: 'd1-1', name: 'ledger' }] }), options());
    expect(plan.errors).toEqual([expect.objectContaining({ file: 'services/sessions/wrangler.toml', key: 'kv_namespaces.0', message: expect.stringMatching(/2 KV namespaces are named "sessions-store".*set the id/) })]);
  });
});

describe('plan: R2 buckets named by bucket_name', () => {
  const files = service('files', {
    metadata: { main_module: 'index.js', bindings: [{ type: 'r2_bucket', name: 'FILES', bucket_name: 'reports' }] },
    resources: [{ kind: 'r2-bucket', name: 'reports', binding: 'FILES', source: { file: 'services/files/wrangler.toml', key: 'r2_buckets.0' } }],
  });

  it('plan: creates a missing bucket in the first wave, before the upload that binds it', () => {
    const plan = makePlan(desiredState([files]), observedState(), options());
    expect(lines(plan)).toEqual(['create-r2-bucket reports', 'create-script files 1.0.0']);
    expect(plan.waves.map((wave) => wave.phase)).toEqual(['resources', 'versions']);
    expect(plan.waves[0]?.actions[0]?.reason).toContain('never deleted');
  });

  it('plan: needs nothing when the bucket exists, and never deletes one no service names, even with --prune', () => {
    const observed = observedState({ scripts: [deployedScript('files', '1.0.0', files.contentHash)], r2Buckets: [{ id: 'reports', name: 'reports' }] });
    expect(lines(makePlan(desiredState([files]), observed, options()))).toEqual([]);
    const pruned = makePlan(desiredState([service('other')]), observedState({ r2Buckets: [{ id: 'reports', name: 'reports' }] }), options({ prune: true }));
    expect(lines(pruned)).toEqual(['create-script other 1.0.0']);
  });

  it('plan: a bucket_name Cloudflare would refuse is a plan error naming the binding, with no action', () => {
    const bad = service('bad', {
      metadata: { main_module: 'index.js', bindings: [{ type: 'r2_bucket', name: 'FILES', bucket_name: 'Reports_2024' }] },
      resources: [{ kind: 'r2-bucket', name: 'Reports_2024', binding: 'FILES', source: { file: 'services/bad/wrangler.toml', key: 'r2_buckets.0' } }],
    });
    const plan = makePlan(desiredState([bad]), observedState(), options());
    expect(plan.errors).toEqual([expect.objectContaining({ file: 'services/bad/wrangler.toml', key: 'r2_buckets.0', message: expect.stringMatching(/"Reports_2024" is not a valid R2 bucket name: .*lowercase/) })]);
    expect(lines(plan)).not.toContain('create-r2-bucket Reports_2024');
  });

  it('plan: the binding is uploaded with its bucket_name as written (a bucket has no other id)', async () => {
    const uploaded = await Promise.all(files.metadata.bindings.map((binding) => resolveBinding(binding, async () => 'never-asked')));
    expect(uploaded).toEqual([{ type: 'r2_bucket', name: 'FILES', bucket_name: 'reports' }]);
  });
});
