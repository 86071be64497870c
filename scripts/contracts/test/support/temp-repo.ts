import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXAMPLE_SERVICES, REPO_ROOT } from '../../../fleet/testing.ts';

const run = promisify(execFile);

/** What a fleet's contracts need: the root config, the contracts package and the services. */
const COPIED = ['package.json', 'wrangler.toml', 'tsconfig.json', 'shared', ...EXAMPLE_SERVICES.map((name) => `services/${name}`)];
const SKIPPED = /(^|\/)(node_modules|\.wrangler|\.bundle|\.edge|\.dev)(\/|$)/;

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A throwaway git repository holding a copy of the example fleet (services a user added are left
 * out, so they never change what these tests see), with `main` as its first commit.
 */
export class TempRepo {
  private constructor(readonly dir: string) {}

  static async create(): Promise<TempRepo> {
    const dir = await mkdtemp(join(tmpdir(), 'edgeops-contracts-'));
    for (const path of COPIED) {
      await cp(join(REPO_ROOT, path), join(dir, path), { recursive: true, filter: (source) => !SKIPPED.test(source.slice(REPO_ROOT.length)) });
    }
    // The copy resolves zod and the tools' packages from this checkout.
    await symlink(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await writeFile(join(dir, '.gitignore'), 'node_modules\n');
    const repo = new TempRepo(dir);
    await repo.git('init', '--quiet', '--initial-branch=main');
    await repo.git('config', 'user.email', 'test@example.com');
    await repo.git('config', 'user.name', 'test');
    await repo.git('config', 'commit.gpgsign', 'false');
    await repo.commitAll('the fleet as it is');
    return repo;
  }

  async git(...args: string[]): Promise<string> {
    const { stdout } = await run('git', args, { cwd: this.dir });
    return stdout;
  }

  async commitAll(message: string): Promise<void> {
    await this.git('add', '--all');
    await this.git('commit', '--quiet', '--allow-empty', '-m', message);
  }

  /** Replaces `from` by `to` in a file; fails the test when `from` is not there. */
  async edit(path: string, from: string, to: string): Promise<void> {
    const file = join(this.dir, path);
    const text = await readFile(file, 'utf8');
    if (!text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
    await writeFile(file, text.replace(from, to));
  }

  async setVersion(service: string, version: string): Promise<void> {
    const path = join(this.dir, 'services', service, 'package.json');
    const json = JSON.parse(await readFile(path, 'utf8')) as { version: string };
    json.version = version;
    await writeFile(path, `${JSON.stringify(json, null, 2)}\n`);
  }

  /** `npm run contracts -- <args>` in this repository, as a separate process (a fresh module graph each time). */
  async contracts(...args: string[]): Promise<Ran> {
    const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
    try {
      const { stdout, stderr } = await run(tsx, [join(REPO_ROOT, 'scripts/contracts/main.ts'), ...args], { cwd: this.dir, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
