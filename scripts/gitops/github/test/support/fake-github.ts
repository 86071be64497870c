import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { githubOperations, type OperationMatch, type OpenApiOperations, type Violation } from './openapi-operations.ts';

/**
 * A local stand-in for api.github.com that only accepts what GitHub's OpenAPI description
 * documents: every request is matched to a documented operation (else 404) and its path params,
 * query and JSON body are validated against that operation's schemas (else 422). It keeps just the
 * state the workflows need (comments, deployments and their statuses, issues and labels) and checks each of its own
 * replies against the documented response schema, recording any mismatch as a violation.
 */

export interface FakeUser {
  login: string;
  type: 'User' | 'Bot';
}

export interface FakeGitHubOptions {
  /** Accepted tokens and who they authenticate. */
  tokens: Record<string, FakeUser>;
  /** Repositories (`owner/name`) and the pull-request numbers that exist in each. */
  repos: Record<string, number[]>;
}

/** One failure to answer instead of the real handler (the next request gets the first queued fault). */
export type Fault = HttpFault | { dropConnection: true };

interface HttpFault {
  status: 403 | 429 | 500 | 502 | 503;
  /** Answer as GitHub's secondary rate limit does (403/429 with that message). */
  secondaryRateLimit?: boolean;
  retryAfterSeconds?: number;
}

export interface Exchange {
  method: string;
  path: string;
  operationId?: string;
  status: number;
  /** Whether the request carried an Authorization header (the header's value is never recorded). */
  authorized: boolean;
  requestViolations: Violation[];
  responseViolations: Violation[];
}

interface StoredComment {
  id: number;
  repo: string;
  issue: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
}

interface StoredDeploymentStatus {
  id: number;
  state: 'error' | 'failure' | 'inactive' | 'pending' | 'success' | 'queued' | 'in_progress';
  environmentUrl: string;
  description: string;
  user: FakeUser;
  createdAt: string;
}

interface StoredDeployment {
  id: number;
  repo: string;
  ref: string;
  environment: string;
  description: string | null;
  transient: boolean;
  production: boolean;
  payload: unknown;
  user: FakeUser;
  createdAt: string;
  statuses: StoredDeploymentStatus[];
}

interface StoredIssue {
  id: number;
  repo: string;
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  stateReason: string | null;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

interface StoredLabel {
  id: number;
  repo: string;
  name: string;
  color: string;
  description: string | null;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface HandlerContext {
  match: OperationMatch;
  user: FakeUser;
  query: URLSearchParams;
  body: unknown;
}

type Handler = (context: HandlerContext) => Reply;

/** GitHub refuses comment bodies longer than this (not in the OpenAPI document; a server-side rule). */
export const GITHUB_COMMENT_LIMIT = 65_536;
const DOCS = 'https://docs.github.com/rest';

export class FakeGitHub {
  readonly exchanges: Exchange[] = [];
  private readonly operations: OpenApiOperations;
  private readonly comments: StoredComment[] = [];
  private readonly faults: Fault[] = [];
  private readonly server: Server;
  private nextId = 1_000_001;
  private clock = Date.parse('2026-01-01T00:00:00Z');
  private origin = '';

  constructor(private readonly options: FakeGitHubOptions) {
    this.operations = githubOperations();
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: `fake GitHub crashed: ${String(error)}` }));
      });
    });
  }

  /** Listens on a free loopback port; returns the base URL to give Octokit. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    return this.origin;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  get url(): string {
    return this.origin;
  }

  injectFaults(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Test setup: a comment someone else already wrote (bypasses HTTP, stored exactly as a created one). */
  seedComment(repo: string, issue: number, body: string, user: FakeUser): number {
    return this.store(repo, issue, body, user).id;
  }

  /** The comments on one pull request, oldest first, as the server holds them. */
  commentsOn(repo: string, issue: number): Array<{ id: number; body: string; login: string }> {
    return this.comments
      .filter((comment) => comment.repo === repo && comment.issue === issue)
      .map((comment) => ({ id: comment.id, body: comment.body, login: comment.user.login }));
  }

  /** Every request/response mismatch with the document seen so far. */
  violations(): Array<Exchange & { problems: Violation[] }> {
    return this.exchanges
      .filter((exchange) => exchange.responseViolations.length > 0)
      .map((exchange) => ({ ...exchange, problems: exchange.responseViolations }));
  }

  /** Checks a reply the client received against the document (used by tests on the client side too). */
  validateResponse(method: string, path: string, status: number, body: unknown): Violation[] {
    const match = this.operations.match(method, path);
    if (!match) return [{ where: path, message: 'no documented operation' }];
    return this.operations.validateResponse(match, status, body);
  }

  private readonly handlers: Record<string, Handler> = {
    'issues/list-comments': ({ match, query }) => {
      const issue = this.issue(match);
      if ('status' in issue) return issue;
      const all = this.comments.filter((comment) => comment.repo === issue.repo && comment.issue === issue.number);
      const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
      const page = Math.max(Number(query.get('page') ?? 1), 1);
      const last = Math.max(Math.ceil(all.length / perPage), 1);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      const link = (target: number, rel: string) => `<${this.origin}${match.template.replace('{owner}', issue.owner).replace('{repo}', issue.name).replace('{issue_number}', String(issue.number))}?per_page=${perPage}&page=${target}>; rel="${rel}"`;
      const links = [page < last ? link(page + 1, 'next') : '', page < last ? link(last, 'last') : '', page > 1 ? link(1, 'first') : '', page > 1 ? link(page - 1, 'prev') : ''].filter(Boolean);
      if (links.length > 0) headers.link = links.join(', ');
      return { status: 200, body: slice.map((comment) => this.render(comment)), headers };
    },
    'issues/create-comment': ({ match, user, body }) => {
      const issue = this.issue(match);
      if ('status' in issue) return issue;
      const text = (body as { body: string }).body;
      const tooLong = this.tooLong(text);
      if (tooLong) return tooLong;
      const comment = this.store(issue.repo, issue.number, text, user);
      return { status: 201, body: this.render(comment), headers: { location: this.commentUrl(comment) } };
    },
    'issues/get-comment': ({ match }) => {
      const comment = this.comment(match);
      return 'status' in comment ? comment : { status: 200, body: this.render(comment) };
    },
    'issues/update-comment': ({ match, body }) => {
      const comment = this.comment(match);
      if ('status' in comment) return comment;
      const text = (body as { body: string }).body;
      const tooLong = this.tooLong(text);
      if (tooLong) return tooLong;
      comment.body = text;
      comment.updatedAt = this.tick();
      return { status: 200, body: this.render(comment) };
    },
    'repos/create-deployment': ({ match, user, body }) => {
      const repo = this.repo(match);
      if (typeof repo !== 'string') return repo;
      const input = body as { ref: string; environment?: string; description?: string; transient_environment?: boolean; production_environment?: boolean; payload?: unknown };
      const now = this.tick();
      const deployment: StoredDeployment = {
        id: this.nextId++,
        repo,
        ref: input.ref,
        environment: input.environment ?? 'production',
        description: input.description ?? null,
        transient: input.transient_environment ?? false,
        production: input.production_environment ?? input.environment === 'production',
        payload: input.payload ?? {},
        user,
        createdAt: now,
        statuses: [],
      };
      this.deployments.push(deployment);
      return { status: 201, body: this.renderDeployment(deployment) };
    },
    'repos/list-deployments': ({ match, query }) => {
      const repo = this.repo(match);
      if (typeof repo !== 'string') return repo;
      const environment = query.get('environment');
      const found = this.deployments.filter((deployment) => deployment.repo === repo && (environment === null || deployment.environment === environment)).reverse();
      return { status: 200, body: found.map((deployment) => this.renderDeployment(deployment)) };
    },
    'repos/create-deployment-status': ({ match, user, body }) => {
      const repo = this.repo(match);
      if (typeof repo !== 'string') return repo;
      const deployment = this.deployments.find((candidate) => candidate.repo === repo && candidate.id === Number(match.pathParams.deployment_id));
      if (!deployment) return this.notFound();
      const input = body as { state: StoredDeploymentStatus['state']; environment_url?: string; description?: string; log_url?: string };
      const status: StoredDeploymentStatus = { id: this.nextId++, state: input.state, environmentUrl: input.environment_url ?? '', description: input.description ?? '', user, createdAt: this.tick() };
      deployment.statuses.push(status);
      return { status: 201, body: this.renderDeploymentStatus(deployment, status) };
    },
    'repos/list-deployment-statuses': ({ match, query }) => {
      const repo = this.repo(match);
      if (typeof repo !== 'string') return repo;
      const deployment = this.deployments.find((candidate) => candidate.repo === repo && candidate.id === Number(match.pathParams.deployment_id));
      if (!deployment) return this.notFound();
      const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
      const page = Math.max(Number(query.get('page') ?? 1), 1);
      // Newest first, as GitHub lists them.
      const statuses = [...deployment.statuses].reverse().slice((page - 1) * perPage, page * perPage);
      return { status: 200, body: statuses.map((status) => this.renderDeploymentStatus(deployment, status)) };
    },
    'issues/list-for-repo': ({ match, query }) => {
      const repo = this.repo(match);
      if (typeof repo !== 'string') return repo;
      const state = query.get('state') ?? 'open';
      const labels = (query.get('labels') ?? '').split(',').filter(Boolean);
      const found = this.issues
        .filter((issue) => issue.repo === repo && (state === 'all' || issue.state === state) && labels.every((label) => issue.labels.includes(label)))
        .reverse();
      return { status: 200, body: found.map((issue) => this.renderIssue(issue)) };
    },
    'issues/create': ({ match, user, body }) => {
      const repo = this.repo(match);
      if (typeof repo !== 'string') return repo;
      const input = body as { title: string | number; body?: string; labels?: Array<string | { name?: string }> };
      const tooLong = this.tooLong(input.body ?? '');
      if (tooLong) return tooLong;
      const now = this.tick();
      const taken = [...(this.options.repos[repo] ?? []), ...ofRepo(this.issues, repo).map((issue) => issue.number)];
      const labels = (input.labels ?? []).map((label) => (typeof label === 'string' ? label : label.name ?? ''));
      // GitHub creates a label an issue names that the repository does not have yet.
      for (const name of labels) if (!this.labels.some((label) => label.repo === repo && label.name === name)) this.labels.push({ id: this.nextId++, repo, name, color: 'ededed', description: null });
      const issue: StoredIssue = { id: this.nextId++, repo, number: Math.max(0, ...taken) + 1, title: String(input.title), body: input.body ?? '', labels, state: 'open', stateReason: null, user, createdAt: now, updatedAt: now, closedAt: null };
      this.issues.push(issue);
      return { status: 201, body: this.renderIssue(issue), headers: { location: `${this.origin}/repos/${repo}/issues/${issue.number}` } };
    },
    'issues/update': ({ match, body }) => {
      const repo = this.repo(match);
      if (typeof repo !== 'string') return repo;
      const issue = this.issues.find((candidate) => candidate.repo === repo && candidate.number === Number(match.pathParams.issue_number));
      if (!issue) return this.notFound();
      const input = body as { title?: string | number; body?: string; state?: 'open' | 'closed'; state_reason?: string | null };
      const tooLong = this.tooLong(input.body ?? '');
      if (tooLong) return tooLong;
      const now = this.tick();
      if (input.title !== undefined) issue.title = String(input.title);
      if (input.body !== undefined) issue.body = input.body;
      if (input.state !== undefined && input.state !== issue.state) {
        issue.state = input.state;
        issue.closedAt = input.state === 'closed' ? now : null;
        issue.stateReason = input.state === 'closed' ? (input.state_reason ?? 'completed') : 'reopened';
      }
      issue.updatedAt = now;
      return { status: 200, body: this.renderIssue(issue) };
    },
    'issues/get-label': ({ match }) => {
      const repo = this.repo(match);
      if (typeof repo !== 'string') return repo;
      const label = this.labels.find((candidate) => candidate.repo === repo && candidate.name === match.pathParams.name);
      return label ? { status: 200, body: this.renderLabel(label) } : this.notFound();
    },
    'issues/create-label': ({ match, body }) => {
      const repo = this.repo(match);
      if (typeof repo !== 'string') return repo;
      const input = body as { name: string; color?: string; description?: string };
      if (this.labels.some((label) => label.repo === repo && label.name === input.name)) {
        return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }], documentation_url: DOCS } };
      }
      const label: StoredLabel = { id: this.nextId++, repo, name: input.name, color: input.color ?? 'ededed', description: input.description ?? null };
      this.labels.push(label);
      return { status: 201, body: this.renderLabel(label) };
    },
  };

  private readonly deployments: StoredDeployment[] = [];
  private readonly issues: StoredIssue[] = [];
  private readonly labels: StoredLabel[] = [];

  /** The issues of a repository, oldest first, as the server holds them (test assertions). */
  issuesOf(repo: string): Array<{ number: number; title: string; body: string; labels: string[]; state: string; stateReason: string | null; comments: string[] }> {
    return ofRepo(this.issues, repo).map((issue) => ({
      number: issue.number,
      title: issue.title,
      body: issue.body,
      labels: [...issue.labels],
      state: issue.state,
      stateReason: issue.stateReason,
      comments: this.comments.filter((comment) => comment.repo === repo && comment.issue === issue.number).map((comment) => comment.body),
    }));
  }

  /** The deployments of a repository, oldest first, each with its statuses' states in order (test assertions). */
  deploymentsOf(repo: string): Array<{ id: number; environment: string; ref: string; transient: boolean; production: boolean; states: string[]; environmentUrls: string[] }> {
    return ofRepo(this.deployments, repo).map((deployment) => ({
      id: deployment.id,
      environment: deployment.environment,
      ref: deployment.ref,
      transient: deployment.transient,
      production: deployment.production,
      states: deployment.statuses.map((status) => status.state),
      environmentUrls: deployment.statuses.map((status) => status.environmentUrl),
    }));
  }

  private repo(match: OperationMatch): string | Reply {
    const repo = `${match.pathParams.owner}/${match.pathParams.repo}`;
    return this.options.repos[repo] ? repo : this.notFound();
  }

  private renderDeployment(deployment: StoredDeployment): Record<string, unknown> {
    const url = `${this.origin}/repos/${deployment.repo}/deployments/${deployment.id}`;
    return {
      url,
      id: deployment.id,
      node_id: Buffer.from(`Deployment${deployment.id}`).toString('base64'),
      sha: deployment.ref,
      ref: deployment.ref,
      task: 'deploy',
      payload: deployment.payload,
      original_environment: deployment.environment,
      environment: deployment.environment,
      description: deployment.description,
      creator: this.renderUser(deployment.user),
      created_at: deployment.createdAt,
      updated_at: deployment.statuses.at(-1)?.createdAt ?? deployment.createdAt,
      statuses_url: `${url}/statuses`,
      repository_url: `${this.origin}/repos/${deployment.repo}`,
      transient_environment: deployment.transient,
      production_environment: deployment.production,
    };
  }

  private renderDeploymentStatus(deployment: StoredDeployment, status: StoredDeploymentStatus): Record<string, unknown> {
    const deploymentUrl = `${this.origin}/repos/${deployment.repo}/deployments/${deployment.id}`;
    return {
      url: `${deploymentUrl}/statuses/${status.id}`,
      id: status.id,
      node_id: Buffer.from(`DeploymentStatus${status.id}`).toString('base64'),
      state: status.state,
      creator: this.renderUser(status.user),
      description: status.description,
      environment: deployment.environment,
      // Required and a URI: the repository's deployments page for this environment.
      target_url: `${this.origin}/${deployment.repo}/deployments/${encodeURIComponent(deployment.environment)}`,
      created_at: status.createdAt,
      updated_at: status.createdAt,
      deployment_url: deploymentUrl,
      repository_url: `${this.origin}/repos/${deployment.repo}`,
      ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
    };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    const method = request.method ?? 'GET';
    const raw = await readBody(request);
    const exchange: Exchange = { method, path: url.pathname, status: 0, authorized: request.headers.authorization !== undefined, requestViolations: [], responseViolations: [] };
    this.exchanges.push(exchange);
    const send = (reply: Reply) => {
      exchange.status = reply.status;
      response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
      response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    };

    const user = this.authenticate(request.headers.authorization);
    if (!user) {
      send({ status: 401, body: { message: request.headers.authorization ? 'Bad credentials' : 'Requires authentication', documentation_url: DOCS } });
      return;
    }
    const fault = this.faults.shift();
    if (fault && 'dropConnection' in fault) {
      exchange.status = -1;
      request.socket.destroy();
      return;
    }
    if (fault) {
      send(faultReply(fault));
      return;
    }
    const match = this.operations.match(method, url.pathname);
    if (!match) {
      send({ status: 404, body: { message: 'Not Found', documentation_url: DOCS } });
      return;
    }
    exchange.operationId = match.operationId;

    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        send({ status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } });
        return;
      }
    }
    exchange.requestViolations = this.operations.validateRequest(match, { query: url.searchParams, body });
    if (exchange.requestViolations.length > 0) {
      const message = `Invalid request.\n\n${exchange.requestViolations.map((violation) => `${violation.where}: ${violation.message}`).join('\n')}`;
      const reply = { status: 422, body: { message, documentation_url: DOCS } };
      // GitHub answers 422 to invalid input even where an operation documents no 422; check it where one is documented.
      if (this.operations.documentsStatus(match, 422)) this.checkReply(exchange, match, reply);
      send(reply);
      return;
    }

    const handler = this.handlers[match.operationId];
    if (!handler) {
      // Documented by GitHub, but the fake keeps no state for it: a test that reaches here is using more than the fake models.
      exchange.responseViolations.push({ where: match.operationId, message: 'documented operation not implemented by the fake' });
      send({ status: 501, body: { message: `${match.operationId} is not implemented by the fake GitHub`, documentation_url: DOCS } });
      return;
    }
    const reply = handler({ match, user, query: url.searchParams, body });
    this.checkReply(exchange, match, reply);
    send(reply);
  }

  private checkReply(exchange: Exchange, match: OperationMatch, reply: Reply): void {
    exchange.responseViolations = this.operations.validateResponse(match, reply.status, reply.body);
  }

  private authenticate(header: string | undefined): FakeUser | undefined {
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '')?.[1];
    return token === undefined ? undefined : this.options.tokens[token];
  }

  private issue(match: OperationMatch): { repo: string; owner: string; name: string; number: number } | Reply {
    const repo = `${match.pathParams.owner}/${match.pathParams.repo}`;
    const number = Number(match.pathParams.issue_number);
    const pulls = this.options.repos[repo];
    if (!pulls || !(pulls.includes(number) || this.issues.some((issue) => issue.repo === repo && issue.number === number))) return this.notFound();
    return { repo, owner: match.pathParams.owner ?? '', name: match.pathParams.repo ?? '', number };
  }

  private comment(match: OperationMatch): StoredComment | Reply {
    const repo = `${match.pathParams.owner}/${match.pathParams.repo}`;
    const found = this.comments.find((comment) => comment.repo === repo && comment.id === Number(match.pathParams.comment_id));
    return found ?? this.notFound();
  }

  private notFound(): Reply {
    return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
  }

  private tooLong(text: string): Reply | undefined {
    if (text.length <= GITHUB_COMMENT_LIMIT) return undefined;
    return {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${GITHUB_COMMENT_LIMIT} characters)` }],
        documentation_url: DOCS,
      },
    };
  }

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private store(repo: string, issue: number, body: string, user: FakeUser): StoredComment {
    const now = this.tick();
    const comment: StoredComment = { id: this.nextId++, repo, issue, body, user, createdAt: now, updatedAt: now };
    this.comments.push(comment);
    return comment;
  }

  private commentUrl(comment: StoredComment): string {
    return `${this.origin}/repos/${comment.repo}/issues/comments/${comment.id}`;
  }

  private render(comment: StoredComment): Record<string, unknown> {
    return {
      id: comment.id,
      node_id: Buffer.from(`IssueComment${comment.id}`).toString('base64'),
      url: this.commentUrl(comment),
      html_url: `${this.origin}/${comment.repo}/pull/${comment.issue}#issuecomment-${comment.id}`,
      body: comment.body,
      user: this.renderUser(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      issue_url: `${this.origin}/repos/${comment.repo}/issues/${comment.issue}`,
      author_association: comment.user.type === 'Bot' ? 'NONE' : 'MEMBER',
      performed_via_github_app: null,
    };
  }

  private renderLabel(label: StoredLabel): Record<string, unknown> {
    return {
      id: label.id,
      node_id: Buffer.from(`Label${label.id}`).toString('base64'),
      url: `${this.origin}/repos/${label.repo}/labels/${encodeURIComponent(label.name)}`,
      name: label.name,
      description: label.description,
      color: label.color,
      default: false,
    };
  }

  private renderIssue(issue: StoredIssue): Record<string, unknown> {
    const url = `${this.origin}/repos/${issue.repo}/issues/${issue.number}`;
    return {
      id: issue.id,
      node_id: Buffer.from(`Issue${issue.id}`).toString('base64'),
      url,
      repository_url: `${this.origin}/repos/${issue.repo}`,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${this.origin}/${issue.repo}/issues/${issue.number}`,
      number: issue.number,
      state: issue.state,
      state_reason: issue.stateReason,
      title: issue.title,
      body: issue.body,
      user: this.renderUser(issue.user),
      labels: issue.labels.map((name) => this.labels.find((label) => label.repo === issue.repo && label.name === name)).filter((label): label is StoredLabel => label !== undefined).map((label) => this.renderLabel(label)),
      assignee: null,
      milestone: null,
      locked: false,
      comments: this.comments.filter((comment) => comment.repo === issue.repo && comment.issue === issue.number).length,
      closed_at: issue.closedAt,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      author_association: issue.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    };
  }

  private renderUser(user: FakeUser): Record<string, unknown> {
    const id = [...user.login].reduce((sum, char) => sum * 31 + char.charCodeAt(0), 7) % 1_000_000;
    const api = `${this.origin}/users/${encodeURIComponent(user.login)}`;
    return {
      login: user.login,
      id,
      node_id: Buffer.from(`User${id}`).toString('base64'),
      avatar_url: `${this.origin}/avatars/${id}`,
      gravatar_id: '',
      url: api,
      html_url: `${this.origin}/${encodeURIComponent(user.login)}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: user.type,
      site_admin: false,
    };
  }
}

/** The records `repo` holds, in the order the server keeps them. */
function ofRepo<T extends { repo: string }>(records: readonly T[], repo: string): T[] {
  return records.filter((record) => record.repo === repo);
}

function faultReply(fault: HttpFault): Reply {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  const message = fault.secondaryRateLimit
    ? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
    : 'Server Error';
  return { status: fault.status, body: { message, documentation_url: DOCS }, headers };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
