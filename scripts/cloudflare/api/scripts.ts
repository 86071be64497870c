/**
 * Worker scripts and their settings, as Cloudflare's API shows and takes them (api-schemas
 * operations `worker-script-list-workers`, `worker-script-upload-worker-module`,
 * `worker-script-settings-patch-settings` — `PATCH …/scripts/{s}/script-settings`).
 */
import * as z from 'zod';

export const ScriptSchema = z.object({
  id: z.string(),
  tags: z.array(z.string()).nullish(),
  /** The last Durable Object migration applied (wrangler reads it here: packages/wrangler/src/durable.ts). */
  migration_tag: z.string().nullish(),
});
export type Script = z.infer<typeof ScriptSchema>;

/** What `PUT …/scripts/{s}` answers that the reconciler reads: the new version id. */
export const ScriptUploadSchema = z.object({ deployment_id: z.string().nullish() });

/** `PATCH …/script-settings` (JSON): each field optional, null leaves it as it is. */
export const ScriptSettingsBodySchema = z.object({
  tags: z.array(z.string()).nullish(),
  logpush: z.boolean().optional(),
  tail_consumers: z.array(z.looseObject({ service: z.string(), environment: z.string().optional(), namespace: z.string().optional() })).nullish(),
  /** Kept as sent (wrangler adds `logs` and more). */
  observability: z.looseObject({ enabled: z.boolean(), head_sampling_rate: z.number().optional() }).nullish(),
});
export type ScriptSettingsBody = z.infer<typeof ScriptSettingsBodySchema>;
