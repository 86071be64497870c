/**
 * Parses and checks a Worker multipart upload (`PUT …/scripts/{s}`, `POST …/versions`): a
 * `metadata` JSON part plus one part per module. Errors are Cloudflare-style `ApiError`s naming
 * the part or metadata field at fault.
 */
import { UploadMigrations } from '../../../cloudflare/durable-object-migrations.ts';
import type { SnapshotModule } from '../snapshot.ts';
import { isCalendarDate } from '../../../cloudflare/compatibility.ts';
import { fail } from './errors.ts';
import { isRecord } from './lookup.ts';

/** Cloudflare's limit for a Worker bundle on a paid plan (compressed there; raw here). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Module content types Cloudflare accepts, and the module type each one means. */
const MODULE_TYPES: Readonly<Record<string, SnapshotModule['type']>> = {
  'application/javascript+module': 'esm',
  'text/javascript+module': 'esm',
  'application/javascript': 'commonjs',
  'text/javascript': 'commonjs',
  'application/wasm': 'compiled-wasm',
  'text/plain': 'text',
  'application/octet-stream': 'data',
  'application/source-map': 'source-map',
};

export interface UploadedModule {
  name: string;
  type: SnapshotModule['type'];
  contents: Uint8Array;
}

export type UploadBinding = { type: string; name: string } & Record<string, unknown>;

export interface UploadMetadata {
  main_module: string;
  compatibility_date?: string;
  compatibility_flags?: string[];
  bindings: UploadBinding[];
  keep_bindings?: string[];
  tags?: string[];
  annotations?: Record<string, string>;
  logpush?: boolean;
  tail_consumers?: { service: string; environment?: string; namespace?: string }[];
  observability?: { enabled: boolean; head_sampling_rate?: number };
  usage_model?: 'bundled' | 'unbound' | 'standard';
  /** Durable Object migrations (see scripts/cloudflare/durable-object-migrations.ts). */
  migrations?: UploadMigrations;
}

export interface ParsedUpload {
  metadata: UploadMetadata;
  modules: UploadedModule[];
}

function metadataError(message: string): never {
  return fail('validation', `metadata: ${message}`);
}

function stringArray(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) metadataError(`\`${field}\` must be an array of strings`);
  return value as string[];
}

/** Validates the decoded metadata JSON field by field. */
export function parseMetadata(value: unknown): UploadMetadata {
  if (!isRecord(value)) return metadataError('expected a JSON object');
  if (typeof value.body_part === 'string' && value.main_module === undefined) {
    return metadataError('service-worker syntax (`body_part`) is not supported by the local edge; upload an ES module Worker with `main_module`');
  }
  if (typeof value.main_module !== 'string' || value.main_module === '') return metadataError('`main_module` is required and must name the part holding the main module');
  if (value.compatibility_date !== undefined && (typeof value.compatibility_date !== 'string' || !isCalendarDate(value.compatibility_date))) {
    return metadataError('`compatibility_date` must be a real calendar date like 2024-09-23');
  }
  const bindings = value.bindings ?? [];
  if (!Array.isArray(bindings)) return metadataError('`bindings` must be an array');
  bindings.forEach((binding: unknown, index) => {
    if (!isRecord(binding) || typeof binding.type !== 'string' || typeof binding.name !== 'string' || binding.name === '') {
      metadataError(`\`bindings[${index}]\` must be an object with string \`type\` and \`name\``);
    }
  });
  const names = new Set<string>();
  for (const binding of bindings as UploadBinding[]) {
    if (names.has(binding.name)) metadataError(`binding name \`${binding.name}\` is used more than once`);
    names.add(binding.name);
  }
  let annotations: Record<string, string> | undefined;
  if (value.annotations !== undefined) {
    if (!isRecord(value.annotations)) return metadataError('`annotations` must be an object of strings');
    annotations = {};
    for (const [key, annotation] of Object.entries(value.annotations)) {
      if (annotation === undefined || annotation === null) continue;
      if (typeof annotation !== 'string') return metadataError(`\`annotations["${key}"]\` must be a string`);
      annotations[key] = annotation;
    }
  }
  const metadata: UploadMetadata = { main_module: value.main_module, bindings: bindings as UploadBinding[] };
  if (typeof value.compatibility_date === 'string') metadata.compatibility_date = value.compatibility_date;
  const flags = stringArray(value.compatibility_flags, 'compatibility_flags');
  if (flags) metadata.compatibility_flags = flags;
  const keep = stringArray(value.keep_bindings, 'keep_bindings');
  if (keep) metadata.keep_bindings = keep;
  const tags = stringArray(value.tags, 'tags');
  if (tags) metadata.tags = tags;
  if (annotations) metadata.annotations = annotations;
  if (typeof value.logpush === 'boolean') metadata.logpush = value.logpush;
  if (Array.isArray(value.tail_consumers)) metadata.tail_consumers = value.tail_consumers as UploadMetadata['tail_consumers'];
  if (isRecord(value.observability) && typeof value.observability.enabled === 'boolean') {
    metadata.observability = value.observability as UploadMetadata['observability'];
  }
  if (value.migrations !== undefined) {
    const migrations = UploadMigrations.safeParse(value.migrations);
    if (!migrations.success) {
      const problems = migrations.error.issues.map((issue) => `${['migrations', ...issue.path].join('.')}: ${issue.message}`).join('; ');
      return metadataError(`\`migrations\` must be {old_tag?, new_tag, steps: [...]} or one step with new_tag (${problems})`);
    }
    metadata.migrations = migrations.data;
  }
  if (value.usage_model === 'bundled' || value.usage_model === 'unbound' || value.usage_model === 'standard') metadata.usage_model = value.usage_model;
  return metadata;
}

function baseContentType(contentType: string): string {
  return contentType.split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Why a part's name cannot name a module, if it cannot: module names are relative paths inside the
 * Worker (`index.js`, `lib/util.js`), so one cannot climb out of it or be absolute.
 */
function moduleNameProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  if (name.startsWith('/')) return 'must be relative (no leading "/")';
  if (name.includes('\\') || name.includes('\0')) return 'must not contain "\\" or NUL';
  if (name.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')) return 'must not have "..", "." or empty path segments';
  return undefined;
}

/** Reads a multipart Worker upload from `request` and checks it. */
export async function parseUpload(request: Request): Promise<ParsedUpload> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!baseContentType(contentType).startsWith('multipart/form-data')) {
    return fail('unsupportedContentType', `Worker uploads must be multipart/form-data with a \`metadata\` part and module parts; got content type "${contentType || 'none'}"`);
  }
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > MAX_UPLOAD_BYTES * 1.1) fail('scriptTooLarge', `upload is ${length} bytes; the limit is ${MAX_UPLOAD_BYTES} bytes`);
  let form: FormData;
  try {
    form = await request.formData();
  } catch (error) {
    return fail('unparseableBody', `could not parse the multipart body: ${(error as Error).message}`);
  }
  const metadataPart = form.get('metadata');
  if (metadataPart === null) return metadataError('the upload has no `metadata` part');
  const metadataText = typeof metadataPart === 'string' ? metadataPart : await metadataPart.text();
  let decoded: unknown;
  try {
    decoded = JSON.parse(metadataText);
  } catch (error) {
    return metadataError(`the \`metadata\` part is not valid JSON (${(error as Error).message})`);
  }
  const metadata = parseMetadata(decoded);
  const modules: UploadedModule[] = [];
  let total = 0;
  for (const [field, part] of form.entries()) {
    if (field === 'metadata') continue;
    const badName = moduleNameProblem(field);
    if (badName) return fail('validation', `part "${field}": a module name ${badName}`);
    const blob = typeof part === 'string' ? new Blob([part], { type: 'text/plain' }) : part;
    const type = MODULE_TYPES[baseContentType(blob.type)];
    if (type === undefined) {
      return fail('validation', `part "${field}" has unsupported content type "${blob.type || 'none'}"; expected one of ${Object.keys(MODULE_TYPES).join(', ')}`);
    }
    const contents = new Uint8Array(await blob.arrayBuffer());
    total += contents.byteLength;
    modules.push({ name: field, type, contents });
  }
  if (total > MAX_UPLOAD_BYTES) fail('scriptTooLarge', `the Worker's modules total ${total} bytes; the limit is ${MAX_UPLOAD_BYTES} bytes`);
  const main = modules.find((module) => module.name === metadata.main_module);
  if (!main) {
    const names = modules.map((module) => `"${module.name}"`).join(', ') || 'none';
    return metadataError(`\`main_module\` is "${metadata.main_module}" but no part has that name (parts: ${names})`);
  }
  if (main.type !== 'esm' && main.type !== 'commonjs') return metadataError(`\`main_module\` "${main.name}" must be a JavaScript module, not ${main.type}`);
  return { metadata, modules };
}
