import pLimit from 'p-limit';
import { ApiError, ConnectionRefusedError, NetworkError, type ApiMessage } from './errors.ts';
import { parseRetryAfter, retryLoop } from './retry-loop.ts';

export interface ApiEndpoint {
  /** Base URL ending in `/client/v4`. */
  apiUrl: string;
  accountId: string;
  token: string;
}

export interface RetryEvent {
  method: string;
  path: string;
  attempt: number;
  /** HTTP status, or undefined for a dropped connection. */
  status?: number;
  delayMs: number;
}

export interface ClientOptions {
  /** Requests in flight at once (p-limit). */
  concurrency?: number;
  /** Retries after the first attempt. */
  retries?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Upper bound on a server's `retry-after`, so a retry never waits unboundedly. */
  maxRetryAfterMs?: number;
  /** Each request (one attempt) is aborted after this long and counts as a dropped connection. */
  requestTimeoutMs?: number;
  /** What a refused connection means for this endpoint (e.g. "the local edge is not running: …"). */
  refusedHint?: string;
  onRetry?: (event: RetryEvent) => void;
  /** How to wait between attempts (default: a timer); tests record the delays through it. */
  sleep?: (ms: number) => Promise<void>;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: FormData;
}

export interface Envelope<T> {
  success: boolean;
  errors: ApiMessage[];
  messages: unknown[];
  result: T;
  result_info?: { page?: number; per_page?: number; total_count?: number; total_pages?: number; count?: number; cursor?: string };
}

/**
 * Statuses worth another try: request timeout, rate limit and server errors. Not 409: a conflict
 * (the name is taken, the resource exists) answers the same however often it is asked.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** An attempt that may succeed if repeated: a retryable status (with the server's `retry-after`), or a dropped connection. */
class RetryableFailure extends Error {
  constructor(
    readonly failure: Error,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(failure.message);
  }
}

/** True when nothing listens at the address (`ECONNREFUSED`, also inside undici's AggregateError for dual-stack hosts). */
function isConnectionRefused(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  if (!cause || typeof cause !== 'object') return false;
  if ('code' in cause && cause.code === 'ECONNREFUSED') return true;
  return 'errors' in cause && Array.isArray(cause.errors) && cause.errors.length > 0 && cause.errors.every((inner: unknown) => typeof inner === 'object' && inner !== null && 'code' in inner && inner.code === 'ECONNREFUSED');
}

/**
 * A small Cloudflare API v4 client: bearer auth, the `{success, errors, result}` envelope, a
 * timeout per request, retries on 408/429/5xx and dropped connections (the server's `retry-after`
 * is the delay when it sends one, otherwise bounded exponential backoff with jitter), and bounded
 * concurrency (p-limit). A refused connection is not retried: nothing listens there. Errors name
 * the call, never the token.
 */
export class CloudflareClient {
  /** HTTP requests sent, retries included. */
  requests = 0;
  readonly accountId: string;
  readonly apiUrl: string;
  readonly #token: string;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #options: Required<Omit<ClientOptions, 'onRetry' | 'concurrency' | 'refusedHint' | 'sleep'>> & Pick<ClientOptions, 'onRetry' | 'refusedHint' | 'sleep'>;

  constructor(endpoint: ApiEndpoint, options: ClientOptions = {}) {
    this.apiUrl = endpoint.apiUrl.replace(/\/+$/, '');
    this.accountId = endpoint.accountId;
    this.#token = endpoint.token;
    this.#limit = pLimit(options.concurrency ?? 8);
    this.#options = {
      retries: options.retries ?? 5,
      minBackoffMs: options.minBackoffMs ?? 200,
      maxBackoffMs: options.maxBackoffMs ?? 5_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      refusedHint: options.refusedHint,
      onRetry: options.onRetry,
      sleep: options.sleep,
    };
  }

  /** Keeps the token out of `console.log(client)`, `JSON.stringify` and inspection. */
  toJSON(): Record<string, string> {
    return { apiUrl: this.apiUrl, accountId: this.accountId };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `CloudflareClient(${this.apiUrl}, account ${this.accountId})`;
  }

  /** `/accounts/{account_id}` + rest. */
  accountPath(rest: string): string {
    return `/accounts/${encodeURIComponent(this.accountId)}${rest}`;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Envelope<T>> {
    return this.#limit(() => this.#withRetries<T>(method, path, options));
  }

  /**
   * `POST /graphql`, Cloudflare's GraphQL Analytics API, which answers `{data, errors}` rather than
   * an envelope (https://developers.cloudflare.com/analytics/graphql-api/). Resolves to `data`.
   */
  async graphql(query: string, variables: Record<string, unknown>): Promise<unknown> {
    return this.#limit(async () => {
      const json = { query, variables };
      const response = await fetch(`${this.apiUrl}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.#token}`, 'content-type': 'application/json' },
        body: JSON.stringify(json),
        signal: AbortSignal.timeout(this.#options.requestTimeoutMs),
      });
      this.requests += 1;
      const body = (await response.json().catch(() => undefined)) as { data?: unknown; errors?: { message: string }[] | null } | undefined;
      const errors = body?.errors ?? [];
      if (!response.ok || errors.length > 0 || body?.data === undefined) {
        throw new Error(`POST /graphql → HTTP ${response.status}: ${errors.map((error) => error.message).join('; ') || 'no data in the answer'}`);
      }
      return body.data;
    });
  }

  async #withRetries<T>(method: string, path: string, options: RequestOptions): Promise<Envelope<T>> {
    const { retries, minBackoffMs, maxBackoffMs, maxRetryAfterMs, onRetry, sleep } = this.#options;
    return retryLoop(
      () => this.#once<T>(method, path, options),
      { retries, minBackoffMs, maxBackoffMs, maxRetryAfterMs },
      (error) => (error instanceof RetryableFailure ? { retry: true, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) } : { retry: false }),
      {
        ...(sleep ? { sleep } : {}),
        final: (error) => (error instanceof RetryableFailure ? error.failure : error),
        onRetry: ({ attempt, error, delayMs }) => {
          const status = error instanceof RetryableFailure ? error.status : undefined;
          onRetry?.({ method, path, attempt, ...(status !== undefined ? { status } : {}), delayMs });
        },
      },
    );
  }

  async #once<T>(method: string, path: string, options: RequestOptions): Promise<Envelope<T>> {
    const url = new URL(this.apiUrl + path);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}` };
    let body: string | FormData | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      body = options.form;
    }
    const shownPath = url.pathname.replace(/^.*\/client\/v4/, '') + url.search;
    this.requests += 1;
    const { requestTimeoutMs } = this.#options;
    const signal = AbortSignal.timeout(requestTimeoutMs);
    const dropped = (cause: unknown) =>
      new RetryableFailure(
        signal.aborted ? new NetworkError(method, shownPath, new Error(`no answer within ${requestTimeoutMs} ms`)) : new NetworkError(method, shownPath, cause),
      );
    let response: Response;
    try {
      response = await fetch(url, { method, headers, signal, ...(body !== undefined ? { body } : {}) });
    } catch (cause) {
      // Nothing listens there: asking again will not help.
      if (isConnectionRefused(cause)) throw new ConnectionRefusedError(method, shownPath, this.apiUrl, this.#options.refusedHint);
      // A dropped connection or a timeout: worth another try.
      throw dropped(cause);
    }
    let envelope: Envelope<T> | undefined;
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      throw dropped(cause);
    }
    try {
      envelope = JSON.parse(text) as Envelope<T>;
    } catch {
      envelope = undefined;
    }
    if (response.ok && envelope?.success) return envelope;
    const failure = new ApiError(method, shownPath, response.status, envelope?.errors ?? []);
    if (isRetryableStatus(response.status)) throw new RetryableFailure(failure, response.status, parseRetryAfter(response.headers.get('retry-after')));
    throw failure;
  }
}
