import type { DurableSampleCounter } from './counter.ts';

export interface Env {
  DURABLE_SAMPLE: DurableObjectNamespace<DurableSampleCounter>;
  // @bind fields
}
