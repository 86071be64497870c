import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';
import { EXIT_CODES } from '../errors.ts';
import { MAX_NAME_LENGTH, RESERVED_NAMES } from '../names.ts';
import { memoryIO } from './support/cli-io.ts';
import { npmRunNew, snapshot, withRepoCopy } from './support/repo-copy.ts';

/** Every refusal must leave the repository exactly as it was: compared file by file. */
let copy: string;
let before: Map<string, string>;
withRepoCopy((made) => ({ copy, before } = made));

async function refused(args: string[], message: RegExp | string): Promise<void> {
  const io = memoryIO({ interactive: false });
  const code = await runCli(args, copy, io);
  expect(code, io.out() + io.err()).toBe(EXIT_CODES.invalidInput);
  expect(io.err()).toMatch(message);
  expect(await snapshot(copy)).toEqual(before);
}

describe('new: refuses bad input with exit 1 and writes nothing', () => {
  const invalidNames: [string, RegExp][] = [
    ['Billing', /Cloudflare allows lowercase letters, digits, "-" and "_" only/],
    ['bill ing', /Cloudflare allows lowercase letters/],
    ['bill.ing', /Cloudflare allows lowercase letters/],
    ['-billing', /Cloudflare allows lowercase letters/],
    ['1billing', /must start with a lowercase letter/],
    ['_billing', /must start with a lowercase letter/],
    ['billing-', /join words with single "-" or "_"/],
    ['bill--ing', /join words with single "-" or "_"/],
    ['b'.repeat(MAX_NAME_LENGTH + 1), new RegExp(`is ${MAX_NAME_LENGTH + 1} characters long; a Worker name has at most ${MAX_NAME_LENGTH}`)],
  ];
  for (const [name, message] of invalidNames) {
    // `--` so a leading "-" reaches the name instead of being read as an option.
    it(`refuses the invalid name "${name.length > 20 ? `${name.slice(0, 8)}…(${name.length})` : name}"`, () => refused(['--', name], message));
  }

  for (const name of ['shared', 'scripts', 'node_modules', 'edge', 'test', 'new', 'contracts']) {
    it(`refuses the reserved word "${name}"`, () => refused([name], `"${name}" is a reserved word`));
  }
  it('documents every reserved word in docs/new.md', async () => {
    const { readFile } = await import('node:fs/promises');
    const docs = await readFile(new URL('../../../docs/new.md', import.meta.url), 'utf8');
    for (const name of RESERVED_NAMES) expect(docs).toContain(`\`${name}\``);
  });

  it('refuses an existing service', () => refused(['users', '--template', 'http'], 'service "users" already exists'));

  it('refuses a name whose contract would export a name another contract already exports', () =>
    // The http template for "order" would export OrderItem, which orders' contract already exports.
    refused(['order', '--template', 'http'], 'would export OrderItem, which shared/src/contracts/index.ts already exports'));

  it('refuses a --route that collides with an existing service\'s route', () =>
    refused(['billing', '--route', 'api.example.com/users*'], 'collides with service "users", which declares "api.example.com/users*"'));
  it('refuses a --route that collides once the scheme is ignored', () =>
    refused(['billing', '--route', 'https://api.example.com/orders*'], 'collides with service "orders"'));
  it('refuses a --route outside the fleet\'s zones', () => refused(['billing', '--route', 'api.example.org/billing*'], 'is not in any zone of the fleet'));
  it('refuses a --route without the trailing wildcard', () => refused(['billing', '--route', 'api.example.com/billing'], 'must end with "*"'));
  it('refuses a malformed --route', () => refused(['billing', '--route', 'api.example.com/bil*ling*'], 'is not a route pattern'));
  it('refuses to bind a service that does not exist', () => refused(['billing', '--bind', 'payments'], '--bind payments: no such service in the fleet; expected one of: notifications, orders, users'));
  it('refuses to bind, for the http template, a service with nothing to look a reference up by', () =>
    refused(['billing', '--bind', 'notifications'], "needs a GET /…/:id operation answering 200 or 404"));
  it('refuses an unknown template', () => refused(['billing', '--template', 'grpc'], "argument 'grpc' is invalid. Allowed choices are http, queue, cron"));
  it('refuses a missing name when stdin is not a terminal', () => refused(['--template', 'http'], 'missing the service name, and stdin is not a terminal'));
});

describe('new: --dry-run', () => {
  it('lists every file it would write and the line it would add, and writes nothing', async () => {
    const io = memoryIO({ interactive: false });
    expect(await runCli(['billing', '--template', 'queue', '--bind', 'users', '--dry-run'], copy, io)).toBe(EXIT_CODES.ok);
    for (const path of [
      'services/billing/wrangler.toml',
      'services/billing/package.json',
      'services/billing/tsconfig.json',
      'services/billing/src/env.ts',
      'services/billing/src/index.ts',
      'services/billing/src/store.ts',
      'services/billing/src/references.ts',
      'services/billing/test/billing.test.ts',
      'shared/src/contracts/billing.ts',
    ]) {
      expect(io.out()).toContain(`+ ${path}`);
    }
    expect(io.out()).toContain("~ shared/src/contracts/index.ts\n      + export * from './billing.ts';");
    expect(io.out()).toContain('Nothing was written.');
    expect(await snapshot(copy)).toEqual(before);
  });
});

describe('new: the fleet checks decide what the new service may declare', () => {
  it('refuses a queue service whose queue another service already consumes, naming both', async () => {
    // notifications also consumes billing-jobs, the queue the queue template for "billing" consumes.
    const config = join(copy, 'services/notifications/wrangler.toml');
    const original = await readFile(config, 'utf8');
    await writeFile(config, `${original}\n[[queues.consumers]]\nqueue = "billing-jobs"\n`);
    try {
      const edited = await snapshot(copy);
      const io = memoryIO({ interactive: false });
      const code = await runCli(['billing', '--template', 'queue'], copy, io);
      expect(code, io.out() + io.err()).toBe(EXIT_CODES.invalidInput);
      expect(io.err()).toMatch(/services\/billing\/wrangler\.toml: queues\.consumers\.0\.queue: queue "billing-jobs" is already consumed by service "notifications" \(services\/notifications\/wrangler\.toml\)/);
      expect(await snapshot(copy)).toEqual(edited);
    } finally {
      await writeFile(config, original);
    }
  });
});

describe('new: as a process', () => {
  it('exits 1 with the reason on stderr for an invalid name, and 0 with the file list for a dry run', async () => {
    const bad = await npmRunNew(copy, ['Billing']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: invalid service name: "Billing" is not a Worker name');
    const dry = await npmRunNew(copy, ['billing', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+ services/billing/wrangler.toml');
    expect(await snapshot(copy)).toEqual(before);
  }, 60_000);
});
