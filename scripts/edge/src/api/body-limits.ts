/**
 * Request body limits, enforced while the body streams in: a chunked upload of 100 MB is refused
 * once it passes the limit, never buffered whole first. Worker uploads (multipart) may be as large
 * as a Worker bundle plus its metadata; every other body is JSON settings or names, refused past
 * 1 MiB. Past the limit the rest of the body is read and dropped (up to 32 MiB, never kept), so
 * the client reads a clean 413 instead of a reset connection; beyond that the edge stops reading.
 */
import type { Context, MiddlewareHandler, Next } from 'hono';
import { failure } from './envelope.ts';
import { ERRORS } from './errors.ts';
import { MAX_UPLOAD_BYTES } from './upload.ts';

/** A Worker bundle's limit plus room for the multipart framing and metadata part. */
export const MAX_MULTIPART_BODY_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024;
/** JSON bodies (settings, names, deployments): far above what any of them needs. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
/** How much of a refused body is read and dropped before the edge stops reading. */
export const MAX_DISCARDED_BYTES = 32 * 1024 * 1024;

interface Limit {
  maxBytes: number;
  refuse(c: Context): Response;
}

const UPLOAD_LIMIT: Limit = {
  maxBytes: MAX_MULTIPART_BODY_BYTES,
  refuse: (c) =>
    failure(c, ERRORS.scriptTooLarge.status, [
      { code: ERRORS.scriptTooLarge.code, message: `the upload is larger than ${MAX_MULTIPART_BODY_BYTES} bytes; a Worker bundle may be ${MAX_UPLOAD_BYTES} bytes` },
    ]),
};

const JSON_LIMIT: Limit = {
  maxBytes: MAX_JSON_BODY_BYTES,
  refuse: (c) => failure(c, ERRORS.bodyTooLarge.status, [{ code: ERRORS.bodyTooLarge.code, message: `the request body is larger than ${MAX_JSON_BODY_BYTES} bytes` }]),
};

const isMultipart = (c: Context): boolean => (c.req.header('content-type') ?? '').trim().toLowerCase().startsWith('multipart/');

async function discard(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<void> {
  let size = alreadyRead;
  while (size <= MAX_DISCARDED_BYTES) {
    const { done, value } = await reader.read();
    if (done) return;
    size += value.byteLength;
  }
  await reader.cancel();
}

async function enforce(limit: Limit, c: Context, next: Next): Promise<Response | void> {
  const body = c.req.raw.body;
  if (!body) return next();
  const reader = body.getReader();
  if (Number(c.req.header('content-length') ?? '0') > limit.maxBytes) {
    await discard(reader, 0);
    return limit.refuse(c);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit.maxBytes) {
      await discard(reader, size);
      return limit.refuse(c);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  c.req.raw = new Request(c.req.raw, { body: bytes });
  return next();
}

export function bodyLimits(): MiddlewareHandler {
  return (c, next) => enforce(isMultipart(c) ? UPLOAD_LIMIT : JSON_LIMIT, c, next);
}
