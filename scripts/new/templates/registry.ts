import type { Template } from './context.ts';
import { cronTemplate } from './cron.ts';
import { httpTemplate } from './http.ts';
import { queueTemplate } from './queue.ts';
import { durableTemplate } from './durable.ts';

/** Every template `npm run new` offers, by the name `--template` takes. Add a template here. */
export const TEMPLATES = {
  http: httpTemplate,
  queue: queueTemplate,
  cron: cronTemplate,
  durable: durableTemplate,
} as const satisfies Record<string, Template>;

export type TemplateName = keyof typeof TEMPLATES;

export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

export function isTemplateName(value: string): value is TemplateName {
  return Object.hasOwn(TEMPLATES, value);
}
