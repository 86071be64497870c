/**
 * The edge's tail worker: every version worker lists it in `tails`, with props naming the script
 * and version (a workerd trace carries no version), and it hands each batch of traces to the edge
 * process through the `EDGE_INVOCATIONS` service binding (a Node function in data-plane.ts).
 * Bundled with esbuild (see bundle.ts).
 * It exports only its default handler: workerd takes every named export for an entrypoint.
 */
import { INVOCATIONS_BINDING } from './tail-binding.ts';

interface InvocationSink {
  fetch(url: string, init: RequestInit): Promise<Response>;
}


export default {
  async tail(traces: unknown[], env: { [INVOCATIONS_BINDING]: InvocationSink }, ctx: { props?: { script?: string; versionId?: string } }): Promise<void> {
    // Taken first: workerd runs this once the traced invocation is over (the wall time's end).
    const deliveredAt = Date.now();
    const body = JSON.stringify({ script: ctx.props?.script, versionId: ctx.props?.versionId, deliveredAt, traces });
    await env[INVOCATIONS_BINDING].fetch('http://edge/invocations', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  },
};
