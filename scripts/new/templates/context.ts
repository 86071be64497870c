import type { BindingUseName, BoundService } from '../bindings.ts';
import type { Identifiers } from '../names.ts';
import type { PlannedRoute } from '../routes.ts';

/** Everything a template needs to know to write a service. */
export interface TemplateContext {
  name: string;
  ids: Identifiers;
  route: PlannedRoute;
  /** The fleet's compatibility_date (root wrangler.toml). */
  compatibilityDate: string;
  /** `shared/package.json` version: the `@edgeops/contracts` dependency. */
  contractsVersion: string;
  bindings: BoundService[];
}

/** One file a template writes, relative to the repository root. */
export interface GeneratedFile {
  path: string;
  contents: string;
}

/**
 * One kind of service `npm run new` can write. Templates live in {@link TEMPLATES}, keyed by name.
 * Its files are real code in the folder `dir`, written for the service `placeholder`; a copy
 * replaces the placeholder's names and fills the `@bind` slots (see render.ts).
 */
export interface Template {
  /** One line, shown in prompts and `--help`. */
  summary: string;
  /** How the generated code uses each bound service (see bindings.ts). */
  bindingUse: BindingUseName;
  /** The template's folder, mirroring the repository: `services/<placeholder>/…` and `shared/src/contracts/<placeholder>.ts`. */
  dir: URL;
  /** The service name the template's files are written for. */
  placeholder: string;
  /** Every identifier the template's files derive from the service name, by role (`item: 'BillingItem'`). */
  names(context: TemplateContext): Record<string, string>;
  /** The generated text of each `@bind` slot in the template's files: the parts that depend on `--bind`. */
  slots(context: TemplateContext): Record<string, string>;
  /** Generated files only bindings need, under `services/<name>/` (e.g. `src/references.ts`). */
  bindingFiles(context: TemplateContext): Record<string, string>;
  /** The exports the contract module adds to `@edgeops/contracts/contracts` (checked for clashes). */
  contractExports(context: TemplateContext): string[];
  /** `METHOD path` of each route, for the summary. */
  endpoints(context: TemplateContext): string[];
}
