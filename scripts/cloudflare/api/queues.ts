/**
 * Queues and their consumers, as Cloudflare's API shows and takes them (api-schemas operations
 * `queues-create`, `queues-list`, `queues-get`, `queues-delete`, `queues-create-consumer`,
 * `queues-update-consumer`, `queues-delete-consumer`, `queues-list-consumers`;
 * https://developers.cloudflare.com/api/resources/queues/).
 */
import * as z from 'zod';

/** Letters, digits, `-` and `_`, at most 63 (`wrangler queues create` checks the same). */
export const QUEUE_NAME = /^[a-zA-Z0-9_-]{1,63}$/;

/** `POST /accounts/{a}/queues`. */
export const QueueBodySchema = z.object({ queue_name: z.string().regex(QUEUE_NAME, 'a queue name is letters, digits, - and _, at most 63') });
export type QueueBody = z.infer<typeof QueueBodySchema>;

/** A consumer's settings; `max_wait_time_ms` and `retry_delay` (seconds) as the API names them. */
export const ConsumerSettingsSchema = z.object({
  batch_size: z.number().optional(),
  max_retries: z.number().optional(),
  max_wait_time_ms: z.number().optional(),
  max_concurrency: z.number().optional(),
  retry_delay: z.number().optional(),
});
export type ConsumerSettings = z.infer<typeof ConsumerSettingsSchema>;

/** `POST …/queues/{queue_id}/consumers` and `PUT …/consumers/{consumer_id}`. */
export const ConsumerBodySchema = z.object({
  type: z.enum(['worker', 'http_pull']).default('worker'),
  script_name: z.string().optional(),
  /** Older clients send `script`. */
  script: z.string().optional(),
  settings: ConsumerSettingsSchema.default({}),
  dead_letter_queue: z.string().optional(),
});
export type ConsumerBody = z.input<typeof ConsumerBodySchema>;

export const ConsumerSchema = z.object({
  consumer_id: z.string(),
  type: z.enum(['worker', 'http_pull']).optional(),
  queue_name: z.string().optional(),
  script: z.string().optional(),
  script_name: z.string().optional(),
  dead_letter_queue: z.string().optional(),
  settings: ConsumerSettingsSchema.optional(),
  created_on: z.string().optional(),
});
export type Consumer = z.infer<typeof ConsumerSchema>;

export const QueueSchema = z.object({
  queue_id: z.string(),
  queue_name: z.string(),
  created_on: z.string().optional(),
  modified_on: z.string().optional(),
  producers: z.array(z.object({ type: z.string(), script: z.string().optional() })).optional(),
  producers_total_count: z.number().optional(),
  consumers: z.array(ConsumerSchema).optional(),
  consumers_total_count: z.number().optional(),
  settings: z.object({ delivery_delay: z.number().optional() }).optional(),
});
export type Queue = z.infer<typeof QueueSchema>;
