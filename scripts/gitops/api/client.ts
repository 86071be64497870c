import pLimit from 'p-limit';
import pRetry, { AbortError } from 'p-retry';
import { ApiError, NetworkError, type ApiMessage } from './errors.ts';

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
  onRetry?: (event: RetryEvent) => void;
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

/** Statuses worth another try: timeouts, conflicts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

class RetryableResponse extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    readonly failure: ApiError,
  ) {
    super(failure.message);
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A small Cloudflare API v4 client: bearer auth, the `{success, errors, result}` envelope,
 * retries with bounded exponential backoff (p-retry) honouring `retry-after` on 408/409/429/5xx
 * and dropped connections, and bounded concurrency (p-limit). Errors name the call, never the token.
 */
export class CloudflareClient {
  /** HTTP requests sent, retries included. */
  requests = 0;
  readonly accountId: string;
  readonly apiUrl: string;
  readonly #token: string;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #options: Required<Omit<ClientOptions, 'onRetry' | 'concurrency'>> & Pick<ClientOptions, 'onRetry'>;

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
      onRetry: options.onRetry,
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

  async #withRetries<T>(method: string, path: string, options: RequestOptions): Promise<Envelope<T>> {
    const { retries, minBackoffMs, maxBackoffMs, maxRetryAfterMs, onRetry } = this.#options;
    try {
      return await pRetry(() => this.#once<T>(method, path, options), {
        retries,
        factor: 2,
        minTimeout: minBackoffMs,
        maxTimeout: maxBackoffMs,
        randomize: true,
        onFailedAttempt: async (error) => {
          if (error.retriesLeft === 0) return;
          const status = error instanceof RetryableResponse ? error.status : undefined;
          const serverDelay = error instanceof RetryableResponse ? error.retryAfterMs : undefined;
          const backoffMs = Math.min(minBackoffMs * 2 ** (error.attemptNumber - 1), maxBackoffMs);
          const delayMs = serverDelay === undefined ? backoffMs : Math.min(serverDelay, maxRetryAfterMs);
          onRetry?.({ method, path, attempt: error.attemptNumber, ...(status !== undefined ? { status } : {}), delayMs });
          // p-retry then waits its own (bounded) backoff; a server's retry-after is honoured on top.
          if (serverDelay !== undefined) await sleep(Math.min(serverDelay, maxRetryAfterMs));
        },
      });
    } catch (error) {
      if (error instanceof RetryableResponse) throw error.failure;
      throw error;
    }
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
    let response: Response;
    try {
      response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    } catch (cause) {
      // A dropped or refused connection: retried by p-retry.
      throw new NetworkError(method, shownPath, cause);
    }
    let envelope: Envelope<T> | undefined;
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      throw new NetworkError(method, shownPath, cause);
    }
    try {
      envelope = JSON.parse(text) as Envelope<T>;
    } catch {
      envelope = undefined;
    }
    if (response.ok && envelope?.success) return envelope;
    const failure = new ApiError(method, shownPath, response.status, envelope?.errors ?? []);
    if (isRetryableStatus(response.status)) throw new RetryableResponse(response.status, retryAfterMs(response.headers.get('retry-after')), failure);
    throw new AbortError(failure);
  }
}
