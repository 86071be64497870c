import { HttpError } from './errors.ts';

/** 64 KiB: the default cap on a JSON request body. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

function isJson(contentType: string | null): boolean {
  if (!contentType) return false;
  if (contentType === 'application/json') return true; // The common case, without splitting the header.
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** Stateless (no `stream` option), so one serves every request. */
const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

/**
 * A body whose declared length is within the limit: one native read into a string. The size is still
 * checked (a caller in the same process may declare less than it sends); a string of n UTF-16 units
 * is at most 3n bytes of UTF-8, so only a long one is counted.
 */
function readDeclared(request: Request, maxBytes: number): Promise<string> {
  return request.text().then((text) => {
    if (text.length * 3 > maxBytes && utf8Encoder.encode(text).byteLength > maxBytes) throw tooLarge(maxBytes);
    return text;
  });
}

/** A body without a declared length: read chunk by chunk, refused as soon as it passes the limit. */
async function readStreamed(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await discardRest(reader, size);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return utf8.decode(bytes);
}

function readLimited(request: Request, maxBytes: number): Promise<string> {
  const length = request.headers.get('content-length');
  if (length !== null) {
    if (Number(length) > maxBytes) return Promise.reject(tooLarge(maxBytes));
    return readDeclared(request, maxBytes);
  }
  if (!request.body) return Promise.resolve('');
  return readStreamed(request.body, maxBytes);
}

/**
 * 1 MiB: how much of a request body a provider reads and throws away when it answers without
 * needing the rest (a 4xx), so the client's keep-alive connection stays usable. workerd closes a
 * connection whose request body was left unread, and the client's next request on it is reset.
 * Past this the body is cancelled (and the connection closed) rather than read on.
 */
export const MAX_DISCARDED_BODY_BYTES = 1024 * 1024;

async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<void> {
  let size = alreadyRead;
  while (size <= MAX_DISCARDED_BODY_BYTES) {
    const { done, value } = await reader.read();
    if (done) return;
    size += value.byteLength;
  }
  await reader.cancel();
}

/** Reads and drops what is left of a request body (see {@link MAX_DISCARDED_BODY_BYTES}). */
export async function discardBody(request: Request): Promise<void> {
  if (!request.body || request.bodyUsed || request.body.locked) return;
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_DISCARDED_BODY_BYTES) {
    await request.body.cancel();
    return;
  }
  await discardRest(request.body.getReader(), 0);
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, 'payload_too_large', `Request body is larger than ${maxBytes} bytes.`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (text.trim() === '') throw new HttpError(400, 'invalid_json', 'Request body is empty; expected a JSON value.');
    const detail = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, 'invalid_json', `Request body is not valid JSON: ${detail}`);
  }
}

/**
 * Reads a JSON request body: 415 unless it is JSON, 413 over `maxBytes`, 400 if it does not parse.
 * A plain promise chain, not nested async functions: one read and one parse, no extra turns.
 */
export function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  if (!isJson(request.headers.get('content-type'))) {
    return Promise.reject(new HttpError(415, 'unsupported_media_type', 'Expected a JSON body with Content-Type: application/json.'));
  }
  return readLimited(request, maxBytes).then(parseJson);
}
