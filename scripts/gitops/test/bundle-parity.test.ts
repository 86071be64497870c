import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bundleService, loadFleet } from '../../fleet/index.ts';
import { REPO_ROOT } from '../../fleet/testing.ts';

const run = promisify(execFile);
const WRANGLER = join(REPO_ROOT, 'node_modules', '.bin', 'wrangler');

/**
 * Differences between our upload and `wrangler deploy --dry-run --outdir`, each harmless:
 * - wrangler's outdir also holds `README.md` (a note for humans, never uploaded) and
 *   `<main>.map` (a source map, uploaded only with `upload_source_maps = true`, which no service sets);
 * - wrangler's main module ends with a `//# sourceMappingURL=<main>.map` comment pointing at that
 *   map; a comment changes no behaviour, and our bundle (no source map) leaves it out.
 */
const HARMLESS_FILES = (main: string) => new Set(['README.md', `${main}.map`]);
const stripSourceMapComment = (code: string) => code.replace(/\n\/\/# sourceMappingURL=\S+\n?$/, '\n');

describe('bundling', async () => {
  const fleet = await loadFleet(REPO_ROOT);

  it('bundling: the example fleet has services to compare', () => {
    expect(fleet.services.map((service) => service.name).sort()).toEqual(expect.arrayContaining(['notifications', 'orders', 'users']));
  });

  for (const service of fleet.services) {
    it(`bundling: ${service.name} uploads the modules wrangler deploy --dry-run produces`, async () => {
      const bundle = await bundleService(service);
      const outdir = await mkdtemp(join(tmpdir(), `gitops-wrangler-${service.name}-`));
      await run(WRANGLER, ['deploy', '--dry-run', '--outdir', outdir], {
        cwd: service.dir,
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' },
      });
      const wranglerFiles = (await readdir(outdir)).filter((file) => !HARMLESS_FILES(bundle.mainModule).has(file)).sort();
      expect(wranglerFiles).toEqual(bundle.modules.map((module) => module.name).sort());
      for (const module of bundle.modules) {
        const theirs = await readFile(join(outdir, module.name), 'utf8');
        const ours = Buffer.from(module.contents).toString('utf8');
        expect(module.name === bundle.mainModule ? stripSourceMapComment(theirs) : theirs).toBe(ours);
      }
      await rm(outdir, { recursive: true, force: true });
    }, 60_000);
  }
});
