import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Sets `services/<service>/package.json` `version`: the release the reconciler deploys next. */
export async function setServiceVersion(rootDir: string, service: string, version: string): Promise<void> {
  const file = join(rootDir, 'services', service, 'package.json');
  const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
}

/**
 * Replaces the users service's code with a release that answers every request 500 (its Durable
 * Object class stays exported, as its migrations require).
 */
export async function breakUsers(rootDir: string): Promise<void> {
  await writeFile(join(rootDir, 'services/users/src/index.ts'), "export { SignupLimiter } from './signup-limiter.ts';\nexport default { fetch: () => new Response('boom', { status: 500 }) };\n");
}
