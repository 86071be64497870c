/**
 * Seeding: writes many scripts into a stopped edge's state directory in one transaction, each from
 * the very multipart upload `PUT /accounts/{id}/workers/scripts/{name}` takes (parsed by the same
 * parser), plus its zone routes. Deploying N services through the API starts each one's startup
 * check and restarts a data-plane shard on each change; seeding and then starting the edge once loads
 * them all in one start.
 * Benchmarks and scale tests use it to stand up a large deployed fleet.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseUpload } from './api/upload.ts';
import { uploadScript } from './api/operations/scripts.ts';
import { lockStateDir } from './state-lock.ts';
import { Store } from './store/store.ts';

/** One script to seed: its name, the upload form the API takes, and its routes in `zone`. */
export interface SeedScript {
  name: string;
  upload: FormData;
  routes: { zone: string; pattern: string }[];
}

export interface SeedOptions {
  stateDir: string;
  accountId?: string;
  token?: string;
  zones: readonly string[];
}

/** Deploys `scripts` (each at 100%, with its routes) into the edge state at `stateDir`; the edge must not be running. */
export async function seedScripts(options: SeedOptions, scripts: readonly SeedScript[]): Promise<void> {
  const stateDir = resolve(options.stateDir);
  const uploads = await Promise.all(
    scripts.map(async (script) => ({
      script,
      upload: await parseUpload(new Request(`http://edge.invalid/workers/scripts/${encodeURIComponent(script.name)}`, { method: 'PUT', body: script.upload })),
    })),
  );
  const lock = await lockStateDir(stateDir);
  try {
    const store = await Store.open({ stateDir, accountId: options.accountId, token: options.token, zones: options.zones });
    await store.transaction(async (draft) => {
      for (const { script, upload } of uploads) {
        await uploadScript(draft, store.blobs, script.name, upload, 'api');
        for (const route of script.routes) {
          const zone = draft.zones.find((candidate) => candidate.name === route.zone.toLowerCase());
          if (!zone) throw new Error(`seedScripts: ${script.name}'s route ${route.pattern} names zone "${route.zone}", which is not one of the edge's zones (${draft.zones.map((known) => known.name).join(', ') || 'none'})`);
          draft.routes.push({ id: randomBytes(16).toString('hex'), zoneId: zone.id, pattern: route.pattern, script: script.name });
        }
      }
    });
  } finally {
    await lock.release();
  }
}
