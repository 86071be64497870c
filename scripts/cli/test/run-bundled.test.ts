import { execFile } from 'node:child_process';
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../fleet/temp-dir.ts';
import { REPO_ROOT } from '../../fleet/testing.ts';

/**
 * scripts/cli/run-bundled.mjs (what `npm run dev` runs): a TypeScript entry compiled once into a
 * cached bundle, run with its arguments, rebuilt when a source changes, with each module's
 * `import.meta.url` its own and stack traces pointing into the sources.
 */

const LAUNCHER = join(REPO_ROOT, 'scripts/cli/run-bundled.mjs');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(entry: string, args: string[] = []): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [LAUNCHER, entry, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('run-bundled: a TypeScript entry as one cached module', () => {
  let dir = '';
  withTempDir('edgeops-run-bundled-', async (made) => {
    dir = made;
    // Packages resolve from the entry's folder, as they would unbundled.
    await symlink(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  });

  const entry = () => join(dir, 'main.ts');
  const writeSources = async (greeting: string) => {
    await writeFile(join(dir, 'greeting.ts'), `export const greeting: string = ${JSON.stringify(greeting)};\nexport const here: string = import.meta.url;\n`);
    await writeFile(
      entry(),
      [
        "import semver from 'semver';",
        "import { greeting, here } from './greeting.ts';",
        'const args: string[] = process.argv.slice(2);',
        'console.log(JSON.stringify({ greeting, here, args, valid: semver.valid(\'1.2.3\') }));',
        '',
      ].join('\n'),
    );
  };

  it('runs the entry with its arguments; imports resolve; import.meta.url is each source file\'s own', async () => {
    await writeSources('hello');
    const ran = await run(entry(), ['--port', '1234']);
    expect(ran.stderr).toBe('');
    expect(JSON.parse(ran.stdout)).toEqual({ greeting: 'hello', here: pathToFileURL(join(dir, 'greeting.ts')).href, args: ['--port', '1234'], valid: '1.2.3' });
  });

  it('reuses the cached bundle while the sources are unchanged, and rebuilds when an imported module changes', async () => {
    await writeSources('hello');
    await run(entry());
    const bundle = join(dir, '.cache', 'main.mjs');
    const built = (await stat(bundle)).mtimeMs;
    expect(JSON.parse((await run(entry())).stdout).greeting).toBe('hello');
    expect((await stat(bundle)).mtimeMs).toBe(built);
    await writeSources('changed');
    expect(JSON.parse((await run(entry())).stdout).greeting).toBe('changed');
  });

  it('rebuilds when a tsconfig.json above the entry changes (esbuild reads compiler settings from it)', async () => {
    await writeSources('hello');
    await writeFile(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }\n');
    await run(entry());
    const manifest = JSON.parse(await readFile(join(dir, '.cache', 'main.json'), 'utf8')) as { key: string; inputs: string[] };
    expect(manifest.inputs).toContain(join(dir, 'tsconfig.json'));
    await writeFile(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": false } }\n');
    await run(entry());
    expect(JSON.parse(await readFile(join(dir, '.cache', 'main.json'), 'utf8')).key).not.toBe(manifest.key);
  });

  it('compiles in a workspace package linked into node_modules (its files are sources), and requires installed ones', async () => {
    await mkdir(join(dir, 'lib'), { recursive: true });
    await writeFile(join(dir, 'lib', 'package.json'), JSON.stringify({ name: '@local/lib', type: 'module', exports: './index.ts' }));
    await writeFile(join(dir, 'lib', 'index.ts'), 'export const shout = (text: string): string => text.toUpperCase();\n');
    await mkdir(join(dir, 'app', 'node_modules', '@local'), { recursive: true });
    await symlink(join(dir, 'lib'), join(dir, 'app', 'node_modules', '@local', 'lib'));
    await writeFile(join(dir, 'app', 'main.ts'), "import semver from 'semver';\nimport { shout } from '@local/lib';\nconsole.log(shout(String(semver.valid('2.0.0'))));\n");
    const ran = await run(join(dir, 'app', 'main.ts'));
    expect(ran.stderr).toBe('');
    expect(ran.stdout.trim()).toBe('2.0.0'.toUpperCase());
    expect(await readFile(join(dir, 'app', '.cache', 'main.mjs'), 'utf8')).toContain('toUpperCase');
  });

  it('a compile error: exit 1 naming the file and line, nothing run', async () => {
    await writeFile(join(dir, 'broken.ts'), "console.log('ran');\nconst = 1;\n");
    const ran = await run(join(dir, 'broken.ts'));
    expect(ran.code).toBe(1);
    expect(ran.stdout).toBe('');
    expect(ran.stderr).toMatch(/broken\.ts:2:\d+/);
  });

  it('stack traces point into the TypeScript sources', async () => {
    await writeFile(join(dir, 'fails.ts'), ['function fail(reason: string): never {', '  throw new Error(reason);', '}', "fail('on purpose');", ''].join('\n'));
    const ran = await run(join(dir, 'fails.ts'));
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('on purpose');
    expect(ran.stderr).toContain(`${join(dir, 'fails.ts')}:2:`);
  });
});
