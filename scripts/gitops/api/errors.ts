/** One `{code, message}` of a Cloudflare API envelope. */
export interface ApiMessage {
  code: number;
  message: string;
}

/**
 * A Cloudflare API call failed: which call (method and path, never headers or bodies),
 * the HTTP status and the envelope's errors.
 */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly errors: ApiMessage[],
  ) {
    const detail = errors.length > 0 ? errors.map((error) => `${error.message} [code ${error.code}]`).join('; ') : `HTTP ${status}`;
    super(`${method} ${path} failed (HTTP ${status}): ${detail}`);
    this.name = 'ApiError';
  }

  hasCode(code: number): boolean {
    return this.errors.some((error) => error.code === code);
  }
}

/** The API could not be reached (connection refused, dropped, reset) even after retries. */
export class NetworkError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    cause: unknown,
  ) {
    super(`${method} ${path}: the API could not be reached (${cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause)})`);
    this.name = 'NetworkError';
  }
}

/** Nothing listens at the API's address (connection refused): not retried, with what that means for this endpoint. */
export class ConnectionRefusedError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    apiUrl: string,
    hint = 'nothing listens there',
  ) {
    super(`${hint} (${method} ${path}: connection to ${new URL(apiUrl).origin} refused)`);
    this.name = 'ConnectionRefusedError';
  }
}
