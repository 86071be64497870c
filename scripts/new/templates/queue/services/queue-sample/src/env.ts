import type { QueueSampleJobMessage } from '@edgeops/contracts/contracts';

export interface Env {
  QUEUE_SAMPLE: KVNamespace;
  QUEUE_SAMPLE_QUEUE: Queue<QueueSampleJobMessage>;
  // @bind fields
}
