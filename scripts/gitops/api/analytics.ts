import * as z from 'zod';
import type { CloudflareClient } from './client.ts';

/**
 * Requests and errors of one Worker version in a time window, from the GraphQL Analytics API's
 * `workersInvocationsAdaptive` dataset (filter `scriptName`, `scriptVersion`, `datetime_geq/leq`;
 * `sum { requests errors }`): https://developers.cloudflare.com/analytics/graphql-api/tutorials/querying-workers-metrics/
 */
const QUERY = `query VersionInvocations($accountTag: string, $scriptName: string, $scriptVersion: string, $since: Time, $until: Time) {
  viewer {
    accounts(filter: { accountTag: $accountTag }) {
      workersInvocationsAdaptive(limit: 100, filter: { scriptName: $scriptName, scriptVersion: $scriptVersion, datetime_geq: $since, datetime_leq: $until }) {
        dimensions { scriptName scriptVersion }
        sum { requests errors }
      }
    }
  }
}`;

const Answer = z.object({
  viewer: z.object({
    accounts: z.array(z.object({ workersInvocationsAdaptive: z.array(z.object({ sum: z.object({ requests: z.coerce.number(), errors: z.coerce.number() }) })) })),
  }),
});

export interface VersionFigures {
  requests: number;
  errors: number;
}

/** Errors per request; 0 when there were no requests. */
export function errorRate(figures: VersionFigures): number {
  return figures.requests === 0 ? 0 : figures.errors / figures.requests;
}

export async function versionInvocations(client: CloudflareClient, script: string, versionId: string, since: Date, until: Date): Promise<VersionFigures> {
  const data = await client.graphql(QUERY, {
    accountTag: client.accountId,
    scriptName: script,
    scriptVersion: versionId,
    since: since.toISOString(),
    until: until.toISOString(),
  });
  const parsed = Answer.safeParse(data);
  if (!parsed.success) throw new Error(`the GraphQL Analytics API answered an unexpected shape for ${script}: ${parsed.error.issues[0]?.message ?? ''}`);
  const groups = parsed.data.viewer.accounts.flatMap((account) => account.workersInvocationsAdaptive);
  return groups.reduce((total, group) => ({ requests: total.requests + group.sum.requests, errors: total.errors + group.sum.errors }), { requests: 0, errors: 0 });
}
