/**
 * Worker deployments, as Cloudflare's API shows and takes them (api-schemas operations
 * `worker-deployments-create-deployment`, `worker-deployments-list-deployments`,
 * `worker-deployments-get-deployment`; one or two versions whose percentages sum to 100).
 */
import * as z from 'zod';

export const DeploymentVersionSchema = z.object({ version_id: z.string(), percentage: z.number() });
export type DeploymentVersion = z.infer<typeof DeploymentVersionSchema>;

/** `POST /accounts/{a}/workers/scripts/{s}/deployments`. */
export const DeploymentBodySchema = z.object({
  strategy: z.literal('percentage'),
  versions: z.array(DeploymentVersionSchema),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type DeploymentBody = z.infer<typeof DeploymentBodySchema>;

export const DeploymentSchema = z.object({
  id: z.string(),
  source: z.string().optional(),
  strategy: z.string().optional(),
  author_email: z.string().optional(),
  created_on: z.string().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  versions: z.array(DeploymentVersionSchema),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

/** `GET …/deployments` answers `{deployments: [...]}`, newest first. */
export const DeploymentListSchema = z.object({ deployments: z.array(DeploymentSchema) });
