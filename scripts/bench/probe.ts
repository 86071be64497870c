/** Polling a local listener until it answers: how the benches that launch processes tell they are ready. */
import { send, type HttpAnswer } from './http-client.ts';
import { tailOf, type Launched } from './process-group.ts';

/** Polling interval: a figure is at most this late. */
const POLL_MS = 50;

export interface Probe {
  port: number;
  host: string;
  path: string;
  /** The status the answer must have; by default any below 500 (it answered). */
  status?: number;
  /** Text the answer must contain (a new version's marker), if any. */
  contains?: string;
}

function accepted(probe: Probe, answer: HttpAnswer): boolean {
  const statusOk = probe.status === undefined ? answer.status < 500 : answer.status === probe.status;
  return statusOk && (probe.contains === undefined || answer.body.includes(probe.contains));
}

/**
 * Polls `probe` (GET with its Host header) until it answers as wanted; throws with the output of
 * `processes` when one of them exits first or after `timeoutMs`.
 */
export async function waitForAnswer(probe: Probe, processes: Launched[], timeoutMs: number, label: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    try {
      const answer = await send(`http://127.0.0.1:${probe.port}`, 'GET', probe.path, undefined, { host: probe.host });
      if (accepted(probe, answer)) return;
      last = `last answer ${answer.status}`;
    } catch {
      // Not listening yet.
    }
    const died = processes.some(({ child }) => child.exitCode !== null || child.signalCode !== null);
    if (died || Date.now() > deadline) {
      const why = died ? 'its process exited' : `within ${Math.round(timeoutMs / 1000)} s, ${last}`;
      throw new Error(`${label}: ${probe.host}${probe.path} on port ${probe.port} did not answer (${why}):\n${processes.map((launched) => tailOf(launched)).join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
