/**
 * Turning a checked upload into a stored version: bindings resolved (`inherit`, `keep_bindings`),
 * secrets moved to the secret store, annotations checked, modules written as blobs, numbers
 * increasing per script.
 */
import { createHash } from 'node:crypto';
import { BINDING_TYPES, isBindingType, UploadBinding } from '../../../cloudflare/bindings/index.ts';
import { currentDeployment } from '../build-snapshot.ts';
import { assertBindingTargetsExist } from './binding-targets.ts';
import type { BlobStore } from '../store/blobs.ts';
import type { DeploymentRecord } from '../store/deployments.ts';
import { uuid } from '../store/ids.ts';
import type { EdgeState } from '../store/state.ts';
import { versionSecrets, type StoredBinding, type StoredModule, type VersionRecord, type VersionSecret } from '../store/versions.ts';
import { fail } from './errors.ts';
import type { ParsedUpload } from './upload.ts';

export const MAX_TAG_BYTES = 100;
export const MAX_MESSAGE_BYTES = 1000;
export const DEFAULT_COMPATIBILITY_DATE = '2021-11-03';
export const AUTHOR_EMAIL = 'edge@edgeops.local';

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength <= maxBytes) return text;
  return bytes.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
}

/** Checks and normalises the annotations Cloudflare understands on a version. */
export function versionAnnotations(input: Readonly<Record<string, string>> | undefined, triggeredBy: string): Record<string, string> {
  const annotations: Record<string, string> = {};
  const tag = input?.['workers/tag'];
  if (tag !== undefined) {
    if (Buffer.byteLength(tag, 'utf8') > MAX_TAG_BYTES) fail('validation', `annotation workers/tag is ${Buffer.byteLength(tag, 'utf8')} bytes; the limit is ${MAX_TAG_BYTES}`);
    annotations['workers/tag'] = tag;
  }
  const message = input?.['workers/message'];
  if (message !== undefined) annotations['workers/message'] = truncateUtf8(message, MAX_MESSAGE_BYTES);
  // `versions upload --preview-alias` (packages/deploy-helpers/src/deploy/versions-upload.ts in
  // cloudflare/workers-sdk): kept with the version; the edge serves no preview URLs.
  const alias = input?.['workers/alias'];
  if (alias !== undefined) annotations['workers/alias'] = alias;
  annotations['workers/triggered_by'] = triggeredBy;
  return annotations;
}

const HANDLER_PATTERNS: readonly (readonly [string, RegExp])[] = [
  ['fetch', /\bfetch\s*[(:]/],
  ['scheduled', /\bscheduled\s*[(:]/],
  ['queue', /\bqueue\s*[(:]/],
  ['email', /\bemail\s*[(:]/],
  ['tail', /\btail\s*[(:]/],
];

/** Which event handlers the main module appears to export (Cloudflare learns this by running it). */
function detectHandlers(source: string): string[] {
  const found = HANDLER_PATTERNS.filter(([, pattern]) => pattern.test(source)).map(([name]) => name);
  return found.length > 0 ? found : ['fetch'];
}

function resolveBindings(draft: EdgeState, script: string, upload: ParsedUpload): StoredBinding[] {
  const previous = lastVersion(draft, script);
  const resolved: StoredBinding[] = [];
  for (const binding of upload.metadata.bindings) {
    if (binding.type === 'inherit') {
      const inherited = previous?.bindings.find((candidate) => candidate.name === binding.name);
      // An inherited secret is kept by the version's secrets (see `addVersion`).
      if (!inherited && previous?.secrets?.some((secret) => secret.name === binding.name)) continue;
      if (!inherited) fail('validation', `binding "${binding.name}" asks to inherit from the previous version, but that version has no binding of that name`);
      resolved.push(inherited);
      continue;
    }
    if (!isBindingType(binding.type)) {
      fail('validation', `binding "${binding.name}" has type "${binding.type}", which the local edge does not run (supported: ${BINDING_TYPES.join(', ')})`);
    }
    if (binding.type === 'secret_text') continue;
    const checked = UploadBinding.safeParse(stripUndefined(binding));
    if (!checked.success) {
      const problems = checked.error.issues.map((issue) => `${issue.path.join('.') || binding.type}: ${issue.message}`).join('; ');
      fail('validation', `binding "${binding.name}" of type "${binding.type}" is not valid: ${problems}`);
    }
    assertBindingTargetsExist(draft, script, binding);
    resolved.push(stripUndefined(binding));
  }
  for (const type of upload.metadata.keep_bindings ?? []) {
    for (const kept of previous?.bindings ?? []) {
      if (kept.type === type && !resolved.some((binding) => binding.name === kept.name)) resolved.push(kept);
    }
  }
  return resolved;
}

function stripUndefined(binding: StoredBinding): StoredBinding {
  return Object.fromEntries(Object.entries(binding).filter(([, value]) => value !== undefined)) as StoredBinding;
}

function lastVersion(state: Readonly<EdgeState>, script: string): VersionRecord | undefined {
  return state.versions.findLast((version) => version.script === script);
}

/** The newest version's secrets (in state from before per-version secrets: the script's). */
function inheritedSecrets(state: Readonly<EdgeState>, script: string): VersionSecret[] {
  const previous = lastVersion(state, script);
  return previous ? versionSecrets(state, previous) : [];
}

export interface AddVersionOptions {
  triggeredBy: string;
  source: string;
}

/** Adds a version of `script` (which must exist in `draft`) built from `upload`. */
export async function addVersion(draft: EdgeState, blobs: BlobStore, script: string, upload: ParsedUpload, options: AddVersionOptions): Promise<VersionRecord> {
  const bindings = resolveBindings(draft, script, upload);
  const annotations = versionAnnotations(upload.metadata.annotations, options.triggeredBy);
  const modules: StoredModule[] = [];
  const etag = createHash('sha256');
  for (const module of upload.modules) {
    const hash = await blobs.put(module.contents);
    etag.update(module.name).update('\0').update(hash).update('\0');
    modules.push({ name: module.name, type: module.type, hash, size: module.contents.byteLength });
  }
  const now = new Date().toISOString();
  // Secrets are kept from the newest version (as Cloudflare keeps them across uploads); the upload's own replace them.
  const secrets = new Map(inheritedSecrets(draft, script).map((secret) => [secret.name, secret.text]));
  for (const secret of upload.metadata.bindings.filter((binding) => binding.type === 'secret_text')) {
    const text = typeof secret.text === 'string' ? secret.text : fail('validation', `secret binding "${secret.name}" needs a string \`text\``);
    secrets.set(secret.name, text);
  }
  const main = upload.modules.find((module) => module.name === upload.metadata.main_module);
  const previousNumber = lastVersion(draft, script)?.number ?? 0;
  const version: VersionRecord = {
    id: uuid(),
    script,
    number: previousNumber + 1,
    createdOn: now,
    source: options.source,
    authorEmail: AUTHOR_EMAIL,
    annotations,
    mainModule: upload.metadata.main_module,
    modules,
    compatibilityDate: upload.metadata.compatibility_date ?? DEFAULT_COMPATIBILITY_DATE,
    compatibilityFlags: upload.metadata.compatibility_flags ?? [],
    bindings,
    etag: etag.digest('hex'),
    handlers: detectHandlers(main ? new TextDecoder().decode(main.contents) : ''),
    startupTimeMs: 0,
    secrets: [...secrets].map(([name, text]) => ({ name, text })),
  };
  draft.versions.push(version);
  return version;
}

export interface DeploymentInput {
  versions: { version_id: string; percentage: number }[];
  annotations?: Record<string, string>;
  /** `workers/triggered_by` (upload, rollback…); absent for a plain deployment, as on Cloudflare. */
  triggeredBy?: string;
  source: string;
}

/** Adds a deployment of `script` after checking Cloudflare's rules on its versions and shares. */
export function addDeployment(draft: EdgeState, script: string, input: DeploymentInput): DeploymentRecord {
  const { versions } = input;
  if (versions.length < 1 || versions.length > 2) fail('validation', `a deployment has one or two versions; got ${versions.length}`);
  const ids = new Set<string>();
  let total = 0;
  for (const { version_id, percentage } of versions) {
    if (typeof version_id !== 'string' || typeof percentage !== 'number' || Number.isNaN(percentage)) fail('validation', 'each deployment version needs a string `version_id` and a numeric `percentage`');
    if (percentage < 0.01 || percentage > 100) fail('validation', `percentage ${percentage} for version ${version_id} is outside 0.01–100`);
    if (ids.has(version_id)) fail('validation', `version ${version_id} appears twice in the deployment`);
    ids.add(version_id);
    if (!draft.versions.some((version) => version.script === script && version.id === version_id)) fail('versionNotFound', `Version ${version_id} of Worker ${script} was not found`);
    total += percentage;
  }
  if (Math.abs(total - 100) > 1e-6) fail('validation', `deployment percentages must sum to 100; they sum to ${total}`);
  const annotations: Record<string, string> = {};
  const message = input.annotations?.['workers/message'];
  if (typeof message === 'string') annotations['workers/message'] = truncateUtf8(message, MAX_MESSAGE_BYTES);
  if (input.triggeredBy !== undefined) annotations['workers/triggered_by'] = input.triggeredBy;
  const deployment: DeploymentRecord = {
    id: uuid(),
    script,
    createdOn: new Date().toISOString(),
    source: input.source,
    authorEmail: AUTHOR_EMAIL,
    strategy: 'percentage',
    versions: versions.map(({ version_id, percentage }) => ({ version_id, percentage })),
    annotations,
  };
  draft.deployments.push(deployment);
  const record = draft.scripts.find((candidate) => candidate.name === script);
  if (record) record.modifiedOn = deployment.createdOn;
  return deployment;
}

/** Whether `deployment` is the script's current one. */
export function isCurrent(state: Readonly<EdgeState>, deployment: DeploymentRecord): boolean {
  return currentDeployment(state, deployment.script)?.id === deployment.id;
}
