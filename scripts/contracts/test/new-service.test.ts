import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaffold } from '../../new/scaffold.ts';
import { staleDocuments } from '../generate.ts';
import { TempRepo } from './support/temp-repo.ts';

let repo: TempRepo;
beforeAll(async () => {
  repo = await TempRepo.create();
});
afterAll(() => repo?.dispose());

describe('contracts: a service made by `npm run new`', () => {
  it('comes with its openapi.json, so the staleness check passes at once', async () => {
    await scaffold({ rootDir: repo.dir, name: 'ledger', template: 'http', bind: ['users'] }, { dryRun: false, install: false, print: () => {} });
    const document = JSON.parse(await readFile(join(repo.dir, 'services/ledger/openapi.json'), 'utf8')) as { info: { title: string; version: string }; paths: object };
    expect(document.info.title).toBe('ledger');
    expect(Object.keys(document.paths).length).toBeGreaterThan(0);
    expect(await staleDocuments(repo.dir)).toEqual([]);
  });
});
