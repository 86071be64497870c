import type { CloudflareClient } from '../api/client.ts';
import { errorRate, versionInvocations } from '../api/analytics.ts';
import type { ObservedScript } from '../state/observed.ts';

/** The window `status` reads traffic over when `--window` is not given. */
export const DEFAULT_TRAFFIC_WINDOW = '15m';

/** One deployed version's requests and errors over the window, from the target's GraphQL Analytics API. */
export interface VersionTraffic {
  versionId: string;
  /** The version's `workers/tag` (the declared version), when it has one. */
  tag?: string;
  /** Its share of the current deployment. */
  percentage: number;
  requests: number;
  errors: number;
  /** errors / requests; 0 without requests. */
  errorRate: number;
}

/** A service's traffic: per deployed version, or why the analytics could not be read. */
export type ServiceTraffic = { versions: VersionTraffic[] } | { error: string };

export interface TrafficWindow {
  since: Date;
  until: Date;
}

/**
 * Per deployed version of `script`, its requests and errors in the window, read with the query the
 * rollout gate judges by (api/analytics.ts). A target whose analytics cannot be read (e.g. a token
 * without Account Analytics read) gives the reason instead: status still shows everything else.
 */
export async function scriptTraffic(client: CloudflareClient, script: ObservedScript, window: TrafficWindow): Promise<ServiceTraffic> {
  try {
    const versions = await Promise.all(
      script.deployment.map(async (entry): Promise<VersionTraffic> => {
        const figures = await versionInvocations(client, script.name, entry.versionId, window.since, window.until);
        const tag = script.versions.find((version) => version.id === entry.versionId)?.tag;
        return { versionId: entry.versionId, ...(tag ? { tag } : {}), percentage: entry.percentage, ...figures, errorRate: errorRate(figures) };
      }),
    );
    return { versions };
  } catch (error) {
    return { error: `analytics unavailable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** `2.0.0 (50%): 60 requests, 12 errors (20.0%)`. */
export function describeTraffic(traffic: VersionTraffic): string {
  const name = traffic.tag ?? traffic.versionId.slice(0, 8);
  return `${name} (${traffic.percentage}%): ${traffic.requests} requests, ${traffic.errors} errors (${(traffic.errorRate * 100).toFixed(1)}%)`;
}

/** The traffic of every named script that has a deployment on the target, by script name. */
export async function fleetTraffic(client: CloudflareClient, scripts: readonly ObservedScript[], names: readonly string[], window: TrafficWindow): Promise<Map<string, ServiceTraffic>> {
  const deployed = scripts.filter((script) => names.includes(script.name) && script.deployment.length > 0);
  const traffic = await Promise.all(deployed.map(async (script) => [script.name, await scriptTraffic(client, script, window)] as const));
  return new Map(traffic);
}
