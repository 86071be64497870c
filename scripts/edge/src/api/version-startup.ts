/** Whether an uploaded version starts, checked before anything is stored (versions and script uploads). */
import { buildSnapshot } from '../build-snapshot.ts';
import { checkStartup, componentSnapshot, StartupDeadlineError } from '../dataplane/index.ts';
import type { EdgeState } from '../store/state.ts';
import type { BlobStore } from '../store/blobs.ts';
import type { VersionRecord } from '../store/versions.ts';
import { fail } from './errors.ts';

/**
 * Refuses (10021, nothing stored) a version whose Worker throws at start-up, or does not finish
 * starting within the deadline, as Cloudflare does at upload ("Script startup exceeded CPU time
 * limit.", https://developers.cloudflare.com/workers/platform/limits/#worker-startup-time): the
 * part of the account's snapshot that `version`'s script shares anything with (its component,
 * dataplane/shard-plan.ts: closed under bindings, so it starts alone), with `version` serving the
 * script, is started in a throwaway workerd (the serving data plane is not touched; on the deadline
 * that workerd is killed).
 */
export async function checkVersionStarts(draft: Readonly<EdgeState>, blobs: BlobStore, version: VersionRecord, deadlineMs: number | undefined): Promise<void> {
  const withVersion: EdgeState = {
    ...draft,
    deployments: [...draft.deployments, { id: 'startup-check', script: version.script, createdOn: version.createdOn, source: version.source, authorEmail: version.authorEmail, strategy: 'percentage', versions: [{ version_id: version.id, percentage: 100 }], annotations: {} }],
  };
  try {
    await checkStartup(componentSnapshot(await buildSnapshot(withVersion, blobs), version.script), deadlineMs);
  } catch (error) {
    if (error instanceof StartupDeadlineError) {
      fail('scriptStartup', `Script startup exceeded the time limit: version ${version.number} of Worker ${version.script} ${error.message}`);
    }
    fail('scriptStartup', `Uncaught error while starting version ${version.number} of Worker ${version.script} in workerd: ${error instanceof Error ? error.message : String(error)}`);
  }
}
