import type { TemplateName } from '../../templates/index.ts';

/** One service to scaffold: a template, bound to none or to every example service it can use. */
export interface Variant {
  name: string;
  template: TemplateName;
  bind: string[];
}

/**
 * Every template without bindings and bound to each example service it can call (http and queue
 * check references against users and orders; notifications has nothing to look one up by; cron
 * calls all three on each run; durable declares its bindings for the code a user adds).
 */
export const VARIANTS: readonly Variant[] = [
  { name: 'plain-http', template: 'http', bind: [] },
  { name: 'bound-http', template: 'http', bind: ['users', 'orders'] },
  { name: 'plain-queue', template: 'queue', bind: [] },
  { name: 'bound-queue', template: 'queue', bind: ['users', 'orders'] },
  { name: 'plain-cron', template: 'cron', bind: [] },
  { name: 'bound-cron', template: 'cron', bind: ['users', 'orders', 'notifications'] },
  { name: 'plain-durable', template: 'durable', bind: [] },
  { name: 'bound-durable', template: 'durable', bind: ['users'] },
];
