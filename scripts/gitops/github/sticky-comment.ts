import type { Octokit } from '@octokit/rest';

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

export interface StickyCommentResult {
  action: 'created' | 'updated' | 'unchanged';
  id: number;
  url: string;
}

/** Whether a comment is the sticky one: its body starts with the marker (a quote of it starts with `>`). */
export function isStickyComment(body: string | undefined, marker: string): boolean {
  return (body ?? '').trimStart().startsWith(marker);
}

/**
 * Posts `body` as the pull request's one sticky comment: the first comment whose body starts with
 * `marker` is updated in place (unless it already says exactly this), else a new comment is created.
 * `body` must start with `marker`, or the next run would not find it.
 */
export async function upsertStickyComment(octokit: Octokit, pull: PullRequestRef, marker: string, body: string): Promise<StickyCommentResult> {
  if (!isStickyComment(body, marker)) throw new Error(`the comment body must start with its marker ${marker}`);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner: pull.owner, repo: pull.repo, issue_number: pull.number, per_page: 100 });
  const existing = comments.find((comment) => isStickyComment(comment.body, marker));
  if (existing) {
    if (existing.body === body) return { action: 'unchanged', id: existing.id, url: existing.html_url };
    const { data } = await octokit.rest.issues.updateComment({ owner: pull.owner, repo: pull.repo, comment_id: existing.id, body });
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({ owner: pull.owner, repo: pull.repo, issue_number: pull.number, body });
  return { action: 'created', id: data.id, url: data.html_url };
}
