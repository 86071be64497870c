/**
 * An upload's bindings must point at something that exists, as Cloudflare checks on upload: a
 * service binding at a Worker of the account ("Could not resolve service binding 'X'. Target script
 * 'y' not found." — code 10143), a queue binding at a queue (code 11000). KV namespace and D1 ids
 * are not checked: the local edge serves any id (see docs/local-edge.md).
 */
import type { StoredBinding } from '../store/versions.ts';
import type { EdgeState } from '../store/state.ts';
import { fail } from './errors.ts';

export function assertBindingTargetsExist(state: Readonly<EdgeState>, script: string, binding: StoredBinding): void {
  if (binding.type === 'service' && typeof binding.service === 'string' && binding.service !== script) {
    if (!state.scripts.some((candidate) => candidate.name === binding.service)) {
      fail('serviceBindingTargetMissing', `Could not resolve service binding '${binding.name}'. Target script '${binding.service}' not found. Deploy it first.`);
    }
  }
  if (binding.type === 'queue' && typeof binding.queue_name === 'string') {
    if (!state.queues.some((queue) => queue.queue_name === binding.queue_name)) {
      fail('queueBindingTargetMissing', `binding '${binding.name}' names the queue '${binding.queue_name}', which does not exist; create it first`);
    }
  }
}
