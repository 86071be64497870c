import { describe, expect, it } from 'vitest';
import { D1_DATABASE_NAME_MAX_LENGTH, D1DatabaseBodySchema } from '../d1-databases.ts';
import { KV_NAMESPACE_TITLE_MAX_LENGTH, KvNamespaceBodySchema } from '../kv-namespaces.ts';

describe('resource names in create bodies', () => {
  it('a D1 database name: taken up to its maximum length, refused when blank (saying so) or longer', () => {
    expect(D1DatabaseBodySchema.parse({ name: 'orders-db' })).toEqual({ name: 'orders-db' });
    expect(D1DatabaseBodySchema.safeParse({ name: 'a'.repeat(D1_DATABASE_NAME_MAX_LENGTH) }).success).toBe(true);
    expect(D1DatabaseBodySchema.safeParse({ name: 'a'.repeat(D1_DATABASE_NAME_MAX_LENGTH + 1) }).success).toBe(false);
    expect(D1DatabaseBodySchema.safeParse({ name: '  ' }).error?.issues[0]?.message).toBe('a database name must not be blank');
  });

  it('a KV namespace title: taken up to its maximum length, refused when blank (saying so) or longer', () => {
    expect(KvNamespaceBodySchema.parse({ title: 'sessions' })).toEqual({ title: 'sessions' });
    expect(KvNamespaceBodySchema.safeParse({ title: 'a'.repeat(KV_NAMESPACE_TITLE_MAX_LENGTH) }).success).toBe(true);
    expect(KvNamespaceBodySchema.safeParse({ title: 'a'.repeat(KV_NAMESPACE_TITLE_MAX_LENGTH + 1) }).success).toBe(false);
    expect(KvNamespaceBodySchema.safeParse({ title: '' }).error?.issues[0]?.message).toBe('a namespace title must not be blank');
  });
});
