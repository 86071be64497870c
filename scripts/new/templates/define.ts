import type { BindingUseName } from '../bindings.ts';
import type { Identifiers } from '../names.ts';
import { serviceBindingSlots } from './common.ts';
import type { Template, TemplateContext } from './context.ts';

/** The names every template's contract declares: `billingContract` and its client `billingApi`. */
export interface ContractNames {
  contract: string;
  api: string;
}

/** What makes a template its own; {@link defineTemplate} adds what they all share. */
export interface TemplateSpec<Names extends Record<string, string>> {
  summary: string;
  bindingUse: BindingUseName;
  /** The template's own identifiers, by role, derived from the service's name. */
  names(ids: Identifiers, name: string): Names;
  /** The roles of the names the contract module exports (checked for clashes). */
  contractExports: readonly (keyof (Names & ContractNames))[];
  /** `@bind` slots beyond the `[[services]]`/`Env` ones every template has. */
  slots?(context: TemplateContext, names: Names & ContractNames): Record<string, string>;
  /** Generated files only bindings need (under `services/<name>/`). */
  bindingFiles?(context: TemplateContext, names: Names & ContractNames): Record<string, string>;
  /** `METHOD path` of each route (`base` is the service's route base path), for the summary. */
  endpoints(base: string, names: Names & ContractNames): string[];
}

/**
 * The template `kind`: its real code in `./<kind>/`, written for the service `<kind>-sample`, with
 * the contract names and the service-binding slots every template has.
 */
export function defineTemplate<Names extends Record<string, string>>(kind: string, spec: TemplateSpec<Names>): Template {
  const names = (context: TemplateContext): Names & ContractNames => ({
    contract: `${context.ids.camel}Contract`,
    api: `${context.ids.camel}Api`,
    ...spec.names(context.ids, context.name),
  });
  return {
    summary: spec.summary,
    bindingUse: spec.bindingUse,
    dir: new URL(`./${kind}/`, import.meta.url),
    placeholder: `${kind}-sample`,
    names,
    slots: (context) => ({ ...serviceBindingSlots(context), ...spec.slots?.(context, names(context)) }),
    bindingFiles: (context) => spec.bindingFiles?.(context, names(context)) ?? {},
    contractExports: (context) => {
      const named = names(context);
      return spec.contractExports.map((role) => named[role]);
    },
    endpoints: (context) => spec.endpoints(context.route.basePath, names(context)),
  };
}
