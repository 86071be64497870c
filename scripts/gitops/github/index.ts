export { resolvePullRequest, runUrl, ContextError, type ActionsEnv, type PullRequestFlags } from './actions-context.ts';
export { createGitHubClient, DEFAULT_GITHUB_API_URL, type GitHubClientOptions } from './client.ts';
export { runGitHubCli, type CliIo } from './cli.ts';
export { loadPlanSummary, PlanFileError } from './plan-file.ts';
export {
  fromReconcilerPlan,
  type ActionSummary,
  type PlanCounts,
  type PlanSummaryError,
  type PlanSummaryInput,
  type ServiceSummary,
} from './plan-input.ts';
export { redactSecrets } from './redact.ts';
export { GITHUB_COMMENT_LIMIT, PLAN_COMMENT_MARKER, renderPlanComment, summaryLine, type RenderOptions } from './render-comment.ts';
export { DEFAULT_RETRY_POLICY, isRetryable, withRetry, type RetryNotice, type RetryPolicy } from './retry.ts';
export { isStickyComment, upsertStickyComment, type PullRequestRef, type StickyCommentResult } from './sticky-comment.ts';
export { deactivateEnvironment, finishDeployment, startDeployment, type DeploymentStart, type RepositoryRef } from './deployments.ts';
export { DRIFT_LABEL, driftMarker, driftTitle, reportDrift, type DriftOutcome, type DriftReport } from './drift-issue.ts';
export { loadPreview, PREVIEW_RESULTS, renderPreviewSection, type PreviewDocument, type PreviewResult } from './preview-section.ts';
export { declaredEnvironments } from './environments.ts';
