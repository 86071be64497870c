/**
 * A small Cloudflare API client for tests: every response it sees is validated against the
 * OpenAPI extract (or the openapi/BEHAVIOUR.md shape for undocumented operations) and a mismatch throws.
 */
import { OpenApiValidator, type ValidationResult } from './openapi.ts';

export interface Envelope<T = unknown> {
  success: boolean;
  errors: { code: number; message: string }[];
  messages: unknown[];
  result: T;
  result_info?: Record<string, number>;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: Envelope<T>;
  validation: ValidationResult;
}

export const validator = new OpenApiValidator();

export interface CallOptions {
  /** A JSON value, or a FormData for multipart uploads. */
  body?: unknown;
  /** Override the bearer token; `null` sends no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
}

export class ApiClient {
  readonly validations: ValidationResult[] = [];

  constructor(
    readonly apiUrl: string,
    readonly token: string,
    readonly accountId: string,
  ) {}

  /** `path` is relative to /client/v4; `{a}` is replaced by the account id. */
  async call<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const resolved = path.replaceAll('{a}', this.accountId);
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.token : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: FormData | string | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.apiUrl}${resolved}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: Envelope<T>;
    try {
      parsed = JSON.parse(text) as Envelope<T>;
    } catch {
      throw new Error(`${method} ${resolved} → ${response.status}: not JSON: ${text.slice(0, 200)}`);
    }
    const validation = validator.validate(method, resolved, response.status, parsed);
    this.validations.push(validation);
    if (validation.errors.length > 0) {
      throw new Error(`${method} ${resolved} → ${response.status} does not match ${validation.source} schema of ${validation.operation}:\n${validation.errors.join('\n')}\n${text.slice(0, 1000)}`);
    }
    return { status: response.status, headers: response.headers, body: parsed, validation };
  }

  /** Calls and expects success, returning the result. */
  async ok<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    const response = await this.call<T>(method, path, options);
    if (!response.body.success) throw new Error(`${method} ${path} failed with ${response.status}: ${JSON.stringify(response.body.errors)}`);
    return response.body.result;
  }
}

/** A multipart Worker upload like wrangler builds. */
export function workerUpload(source: string, metadata: Record<string, unknown> = {}, mainModule = 'index.js'): FormData {
  const form = new FormData();
  form.set('metadata', JSON.stringify({ main_module: mainModule, compatibility_date: '2024-09-23', bindings: [], ...metadata }));
  form.set(mainModule, new File([source], mainModule, { type: 'application/javascript+module' }));
  return form;
}

/** A module Worker answering `text` (plus the named env vars) on every request. */
export function textWorker(text: string): string {
  return `export default { async fetch(request, env) { return new Response(${JSON.stringify(text)} + (env.SUFFIX ?? ''), { headers: { 'x-worker': ${JSON.stringify(text)} } }); } };`;
}
