import type { TemplateContext } from './context.ts';

/** A TOML basic string (JSON's escapes are TOML's for what we write). */
export const tomlString = (value: string): string => JSON.stringify(value);

/** The `@bind` slots every template has: wrangler.toml's `[[services]]`, and one `Fetcher` per bound service in `Env`. */
export function serviceBindingSlots(context: TemplateContext): Record<string, string> {
  return {
    services: context.bindings
      .map((bound) =>
        [
          '',
          `# The ${bound.service} service, called through its typed client (shared/src/contracts/${bound.service}.ts).`,
          '[[services]]',
          `binding = ${tomlString(bound.binding)}`,
          `service = ${tomlString(bound.service)}`,
        ].join('\n'),
      )
      .join('\n'),
    fields: context.bindings.map((bound) => `${bound.binding}: Fetcher;`).join('\n'),
  };
}
