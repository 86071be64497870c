import type { CloudflareClient, RequestOptions } from './client.ts';

/**
 * Every item of a page-numbered list (`?page=&per_page=`, Cloudflare's v4 pagination): pages are
 * read until one is empty or `result_info` says it was the last (`total_pages`, else
 * `total_count`; with neither, a page shorter than `perPage`). `read` parses one page's `result`.
 */
export async function listAllPages<T>(client: CloudflareClient, path: string, perPage: number, read: (result: unknown) => T[], query: RequestOptions['query'] = {}): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page += 1) {
    const envelope = await client.request<unknown>('GET', path, { query: { ...query, page, per_page: perPage } });
    const items = read(envelope.result);
    all.push(...items);
    const { total_pages: totalPages, total_count: totalCount } = envelope.result_info ?? {};
    const last = totalPages !== undefined ? page >= totalPages : totalCount !== undefined ? all.length >= totalCount : items.length < perPage;
    if (items.length === 0 || last) return all;
  }
}
