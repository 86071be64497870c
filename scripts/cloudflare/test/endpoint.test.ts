import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endpointPath, EndpointFileError, readEndpointFile, writeEndpointFile } from '../endpoint.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edgeops-endpoint-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ENDPOINT = { apiUrl: 'http://127.0.0.1:8787/client/v4', url: 'http://127.0.0.1:8788', accountId: 'acc', token: 'tok' };

describe('endpoint.json: the one format the edge writes and every client reads', () => {
  it('reads back what was written, and leaves no temporary file', async () => {
    await writeEndpointFile(dir, ENDPOINT);
    expect(await readEndpointFile(endpointPath(dir))).toEqual(ENDPOINT);
    expect(await readdir(dir)).toEqual(['endpoint.json']);
  });

  it('is undefined when no edge wrote one', async () => {
    expect(await readEndpointFile(endpointPath(dir))).toBeUndefined();
  });

  it('refuses a file that is not JSON, naming it', async () => {
    await writeFile(endpointPath(dir), '{ nope');
    await expect(readEndpointFile(endpointPath(dir))).rejects.toThrow(new RegExp(`${endpointPath(dir)} is not valid JSON`));
  });

  it('refuses a file missing a field, naming the field', async () => {
    await writeFile(endpointPath(dir), JSON.stringify({ ...ENDPOINT, token: undefined }));
    const error = await readEndpointFile(endpointPath(dir)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EndpointFileError);
    expect((error as Error).message).toMatch(/endpoint\.json: expected \{apiUrl, url, accountId, token\} .*token: /);
  });

  it('refuses to write an endpoint that is not one', async () => {
    await expect(writeEndpointFile(dir, { ...ENDPOINT, apiUrl: 'not a url' })).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });
});
