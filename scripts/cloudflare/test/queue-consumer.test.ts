import { describe, expect, it } from 'vitest';
import { consumerSettingsOf, miniflareQueueConsumer, miniflareQueueConsumerOf, QUEUE_CONSUMER_SETTING_KEYS } from '../queue-consumer.ts';

describe('queue consumer settings: one mapping between wrangler, the Queues API and Miniflare', () => {
  const config = { queue: 'jobs', max_batch_size: 10, max_batch_timeout: 2.5, max_retries: 3, dead_letter_queue: 'jobs-dlq' };

  it('wrangler seconds become the API\'s milliseconds', () => {
    expect(consumerSettingsOf(config)).toEqual({ batch_size: 10, max_retries: 3, max_wait_time_ms: 2500 });
  });

  it('the API\'s milliseconds become Miniflare\'s seconds, with the dead-letter queue beside them', () => {
    expect(miniflareQueueConsumer({ batch_size: 10, max_retries: 3, max_wait_time_ms: 2500 }, 'jobs-dlq')).toEqual({
      maxBatchSize: 10,
      maxBatchTimeout: 2.5,
      maxRetries: 3,
      deadLetterQueue: 'jobs-dlq',
    });
  });

  it('dev (from the config) and the edge (from the API) give Miniflare the same consumer', () => {
    const throughApi = miniflareQueueConsumer(consumerSettingsOf(config), config.dead_letter_queue);
    expect(miniflareQueueConsumerOf(config)).toEqual(throughApi);
  });

  it('settings the config leaves out stay out (the platform\'s defaults apply)', () => {
    expect(consumerSettingsOf({ queue: 'jobs' })).toEqual({});
    expect(miniflareQueueConsumerOf({ queue: 'jobs', max_batch_timeout: 0 })).toEqual({ maxBatchTimeout: 0 });
  });

  it('names the settings the fleet manages', () => {
    expect(QUEUE_CONSUMER_SETTING_KEYS).toEqual(['batch_size', 'max_retries', 'max_wait_time_ms']);
  });
});
