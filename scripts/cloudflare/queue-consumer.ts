/**
 * A Queue consumer's settings, and their one mapping between the three spellings:
 * - wrangler config `[[queues.consumers]]`: `max_batch_size`, `max_batch_timeout` in SECONDS,
 *   `max_retries`, `dead_letter_queue`
 *   (https://developers.cloudflare.com/queues/configuration/configure-queues/#consumer);
 * - the Queues API consumer `settings`: `batch_size`, `max_wait_time_ms` in MILLISECONDS,
 *   `max_retries`, with `dead_letter_queue` beside `settings`
 *   (https://developers.cloudflare.com/api/resources/queues/subresources/consumers/methods/create/);
 * - Miniflare's `queueConsumers` options: `maxBatchSize`, `maxBatchTimeout` in seconds,
 *   `maxRetries`, `deadLetterQueue` (miniflare `QueueConsumerOptionsSchema`).
 * The API spelling is the pivot: config → API settings → Miniflare.
 */
import type { WorkerOptions } from 'miniflare';
import * as z from 'zod';

/** One `[[queues.consumers]]` entry of a service's wrangler config. */
export const QueueConsumerConfig = z.object({
  queue: z.string(),
  max_batch_size: z.number().int().positive().optional(),
  /** Seconds. */
  max_batch_timeout: z.number().nonnegative().optional(),
  max_retries: z.number().int().nonnegative().optional(),
  dead_letter_queue: z.string().optional(),
});
export type QueueConsumerConfig = z.infer<typeof QueueConsumerConfig>;

/** A consumer's `settings` as the Queues API spells them (the ones the fleet declares). */
export const QueueConsumerSettings = z.object({
  batch_size: z.number().optional(),
  max_retries: z.number().optional(),
  /** Milliseconds. */
  max_wait_time_ms: z.number().optional(),
});
export type QueueConsumerSettings = z.infer<typeof QueueConsumerSettings>;

/** The settings keys the fleet manages, in a stable order (for diffs and display). */
export const QUEUE_CONSUMER_SETTING_KEYS = QueueConsumerSettings.keyof().options;

/** Miniflare's options for one consumed queue. */
export type MiniflareQueueConsumer = Exclude<NonNullable<WorkerOptions['queueConsumers']>, string[]>[string];

/** wrangler config → API settings (seconds become milliseconds); keys the config leaves out stay out. */
export function consumerSettingsOf(consumer: QueueConsumerConfig): QueueConsumerSettings {
  return {
    ...(consumer.max_batch_size !== undefined ? { batch_size: consumer.max_batch_size } : {}),
    ...(consumer.max_retries !== undefined ? { max_retries: consumer.max_retries } : {}),
    ...(consumer.max_batch_timeout !== undefined ? { max_wait_time_ms: consumer.max_batch_timeout * 1000 } : {}),
  };
}

/** API settings (+ dead-letter queue) → Miniflare's consumer options (milliseconds become seconds). */
export function miniflareQueueConsumer(settings: QueueConsumerSettings, deadLetterQueue?: string): MiniflareQueueConsumer {
  return {
    ...(settings.batch_size !== undefined ? { maxBatchSize: settings.batch_size } : {}),
    ...(settings.max_wait_time_ms !== undefined ? { maxBatchTimeout: settings.max_wait_time_ms / 1000 } : {}),
    ...(settings.max_retries !== undefined ? { maxRetries: settings.max_retries } : {}),
    ...(deadLetterQueue !== undefined ? { deadLetterQueue } : {}),
  };
}

/** wrangler config → Miniflare, through the API settings. */
export function miniflareQueueConsumerOf(consumer: QueueConsumerConfig): MiniflareQueueConsumer {
  return miniflareQueueConsumer(consumerSettingsOf(consumer), consumer.dead_letter_queue);
}
