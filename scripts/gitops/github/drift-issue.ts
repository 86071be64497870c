import type { Octokit } from '@octokit/rest';
import type { RepositoryRef } from './deployments.ts';
import { codeSpan } from './markdown.ts';

/**
 * One GitHub issue per drifted environment, kept by the scheduled drift job through the REST API
 * (https://docs.github.com/rest/issues/issues, …/labels, …/comments): opened when the environment's
 * plan finds differences, its body replaced by the latest plan while it stays drifted, closed with
 * a comment once the environment matches git again. The issue is found again by a hidden marker
 * naming the environment, among the open issues labelled `drift`.
 */

export const DRIFT_LABEL = 'drift';

/** The hidden first line of an environment's drift issue. */
export function driftMarker(environment: string): string {
  return `<!-- edgeops-drift:${environment} -->`;
}

export function driftTitle(environment: string): string {
  return `Drift in ${environment}: Cloudflare no longer matches git`;
}

export interface DriftReport {
  environment: string;
  /** The plan found differences (exit code 2). */
  drifted: boolean;
  /** The issue body when drifted: starts with {@link driftMarker}. */
  body: string;
  /** Link to the run that checked, named in the closing comment. */
  runUrl?: string;
}

export interface DriftOutcome {
  action: 'opened' | 'updated' | 'unchanged' | 'closed' | 'none';
  number?: number;
  url?: string;
}

/** Opens, updates or closes the environment's drift issue to match the report. */
export async function reportDrift(octokit: Octokit, repository: RepositoryRef, report: DriftReport): Promise<DriftOutcome> {
  const marker = driftMarker(report.environment);
  if (report.drifted && !report.body.startsWith(marker)) throw new Error(`the drift issue body must start with its marker ${marker}`);
  const open = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repository, state: 'open', labels: DRIFT_LABEL, per_page: 100 });
  // The list holds pull requests too (they are issues to the API); a drift issue is not one.
  const existing = open.find((issue) => issue.pull_request === undefined && (issue.body ?? '').startsWith(marker));
  if (!report.drifted) {
    if (!existing) return { action: 'none' };
    const checked = report.runUrl ? `[this drift check](${report.runUrl})` : 'the latest drift check';
    await octokit.rest.issues.createComment({ ...repository, issue_number: existing.number, body: `${codeSpan(report.environment)} matches git again according to ${checked}: closing.` });
    const { data } = await octokit.rest.issues.update({ ...repository, issue_number: existing.number, state: 'closed', state_reason: 'completed' });
    return { action: 'closed', number: data.number, url: data.html_url };
  }
  if (existing) {
    if (existing.body === report.body) return { action: 'unchanged', number: existing.number, url: existing.html_url };
    const { data } = await octokit.rest.issues.update({ ...repository, issue_number: existing.number, body: report.body });
    return { action: 'updated', number: data.number, url: data.html_url };
  }
  await ensureLabel(octokit, repository);
  const { data } = await octokit.rest.issues.create({ ...repository, title: driftTitle(report.environment), body: report.body, labels: [DRIFT_LABEL] });
  return { action: 'opened', number: data.number, url: data.html_url };
}

/** Creates the `drift` label with a description the first time (404 from getLabel: it does not exist yet). */
async function ensureLabel(octokit: Octokit, repository: RepositoryRef): Promise<void> {
  try {
    await octokit.rest.issues.getLabel({ ...repository, name: DRIFT_LABEL });
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
    await octokit.rest.issues.createLabel({ ...repository, name: DRIFT_LABEL, color: 'd93f0b', description: 'An environment on Cloudflare differs from git (opened by the drift workflow)' });
  }
}
