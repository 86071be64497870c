/** A queue and its consumers (the Queues API subset wrangler deploy needs). */
export interface QueueConsumerRecord {
  consumer_id: string;
  type: 'worker' | 'http_pull';
  script?: string;
  dead_letter_queue?: string;
  settings: {
    batch_size?: number;
    max_retries?: number;
    max_wait_time_ms?: number;
    max_concurrency?: number;
    retry_delay?: number;
  };
  created_on: string;
}

export interface QueueRecord {
  queue_id: string;
  queue_name: string;
  created_on: string;
  modified_on: string;
  consumers: QueueConsumerRecord[];
}
