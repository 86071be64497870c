/**
 * `<stateDir>/endpoint.json`: how any client finds a running local edge — its Cloudflare API base
 * URL (`…/client/v4`), data plane URL, account id and API token. The edge writes it on start; the
 * reconciler (`--target local`) and scripts read it. One schema for both sides.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { readOptionalFile } from './optional-file.ts';

export const EdgeEndpoint = z.object({
  apiUrl: z.url(),
  url: z.url(),
  accountId: z.string().min(1),
  token: z.string().min(1),
});
export type EdgeEndpoint = z.infer<typeof EdgeEndpoint>;

/** Where the local edge keeps its state unless told otherwise (relative to the fleet root). */
export const DEFAULT_EDGE_STATE_DIR = '.edge';

export function endpointPath(stateDir: string): string {
  return join(stateDir, 'endpoint.json');
}

/** The endpoint file is there but not what the edge writes. */
export class EndpointFileError extends Error {
  override name = 'EndpointFileError';
}

/** Reads an endpoint file; undefined when it does not exist (no edge has started there). */
export async function readEndpointFile(file: string): Promise<EdgeEndpoint | undefined> {
  const text = await readOptionalFile(file);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EndpointFileError(`${file} is not valid JSON (${(error as Error).message}); restart the edge to rewrite it`);
  }
  const parsed = EdgeEndpoint.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new EndpointFileError(`${file}: expected {apiUrl, url, accountId, token} as the edge writes them (${problems}); restart the edge to rewrite it`);
  }
  return parsed.data;
}

/** Writes `<stateDir>/endpoint.json` atomically (temporary file, then rename), so a reader never sees half of it. */
export async function writeEndpointFile(stateDir: string, endpoint: EdgeEndpoint): Promise<void> {
  const path = endpointPath(stateDir);
  const value = EdgeEndpoint.parse(endpoint);
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.endpoint-${randomBytes(6).toString('hex')}.tmp`);
  try {
    // 0600: the file holds the API token.
    await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
