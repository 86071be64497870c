/** Finding records the way Cloudflare's API refers to them, failing with its error codes. */
import type { EdgeState } from '../store/state.ts';
import type { ScriptRecord } from '../store/scripts.ts';
import { MAX_SCRIPT_NAME_LENGTH, SCRIPT_NAME } from '../store/scripts.ts';
import type { VersionRecord } from '../store/versions.ts';
import type { ZoneRecord } from '../store/zones.ts';
import { fail } from './errors.ts';

export function checkScriptName(name: string): void {
  if (!SCRIPT_NAME.test(name) || name.length > MAX_SCRIPT_NAME_LENGTH) {
    fail('validation', `Invalid Worker name "${name}": names must match ^[a-z0-9_][a-z0-9-_]*$ and be at most ${MAX_SCRIPT_NAME_LENGTH} characters`);
  }
}

export function findScript(state: Readonly<EdgeState>, name: string): ScriptRecord | undefined {
  return state.scripts.find((script) => script.name === name);
}

export function requireScript(state: Readonly<EdgeState>, name: string): ScriptRecord {
  return findScript(state, name) ?? fail('scriptNotFound', `This Worker does not exist on your account. [script: ${name}]`);
}

export function requireVersion(state: Readonly<EdgeState>, script: string, versionId: string): VersionRecord {
  return state.versions.find((version) => version.script === script && version.id === versionId) ?? fail('versionNotFound', `Version ${versionId} of Worker ${script} was not found`);
}

export function requireZone(state: Readonly<EdgeState>, zoneId: string): ZoneRecord {
  return state.zones.find((zone) => zone.id === zoneId) ?? fail('zoneNotFound', `Could not route to /zones/${zoneId}: the zone does not exist on this edge (known zones: ${state.zones.map((zone) => zone.name).join(', ') || 'none'})`);
}

export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return fail('validation', 'the request body is empty; expected JSON');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return fail('validation', `the request body is not valid JSON (${(error as Error).message})`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
