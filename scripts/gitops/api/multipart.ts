import type { ServiceBundle } from '../../fleet/index.ts';
import type { ApiBinding, ScriptMetadata } from '../state/desired.ts';

/** Content type of each module part, as Cloudflare expects them (wrangler's createWorkerUploadForm). */
const MODULE_CONTENT_TYPES: Record<ServiceBundle['modules'][number]['type'], string> = {
  esm: 'application/javascript+module',
  text: 'text/plain',
  data: 'application/octet-stream',
  'compiled-wasm': 'application/wasm',
  'source-map': 'application/source-map',
};

export interface UploadForm {
  metadata: ScriptMetadata;
  bundle: ServiceBundle;
  tags: string[];
  annotations: { 'workers/tag': string; 'workers/message': string };
  /** Secret values to set with this upload (`secret_text` bindings); never logged. */
  secrets: Record<string, string>;
  /** Keep existing secrets of the script (uploads of a new version of an existing script). */
  keepSecrets: boolean;
}

/** The multipart body of a script or version upload: a `metadata` JSON part plus one part per module. */
export function uploadForm(upload: UploadForm): FormData {
  const secretBindings: ApiBinding[] = Object.entries(upload.secrets).map(([name, text]) => ({ type: 'secret_text', name, text }));
  const metadata = {
    ...upload.metadata,
    bindings: [...upload.metadata.bindings, ...secretBindings],
    tags: upload.tags,
    annotations: upload.annotations,
    ...(upload.keepSecrets ? { keep_bindings: ['secret_text', 'secret_key'] } : {}),
  };
  const form = new FormData();
  form.set('metadata', new Blob([JSON.stringify(metadata)], { type: 'application/json' }));
  for (const module of upload.bundle.modules) {
    form.set(module.name, new File([module.contents], module.name, { type: MODULE_CONTENT_TYPES[module.type] }));
  }
  return form;
}

/** `workers/message`: the git commit and the content hash the plan compares (`sha256:<hex>`). */
export function versionMessage(commit: string, hash: string): string {
  return `git ${commit.slice(0, 12)} sha256:${hash}`;
}

export function hashFromMessage(message: string | undefined): string | undefined {
  return message?.match(/sha256:([0-9a-f]{64})/)?.[1];
}
