/** Reading an API answer with its shared schema: a shape the schema does not allow is a clear error. */
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { readResult } from '../envelope.ts';
import { QueueSchema } from '../queues.ts';
import { RouteSchema } from '../routes.ts';

describe('readResult', () => {
  it('returns the parsed result when the answer matches the schema', () => {
    expect(readResult(z.array(RouteSchema), [{ id: 'r1', pattern: 'api.example.com/*', script: 'users' }], 'list routes')).toEqual([{ id: 'r1', pattern: 'api.example.com/*', script: 'users' }]);
  });

  it('names the operation and each field that does not match', () => {
    expect(() => readResult(QueueSchema, { queue_id: 7, consumers: [{}] }, 'create queue jobs')).toThrow(
      /^create queue jobs: the API answered a result of an unexpected shape \(queue_id: .*; queue_name: .*; consumers\.0\.consumer_id: .*\)$/,
    );
  });
});
