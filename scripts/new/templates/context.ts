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

/** One kind of service `npm run new` can write. Templates live in {@link TEMPLATES}, keyed by name. */
export interface Template {
  /** One line, shown in prompts and `--help`. */
  summary: string;
  /** How the generated code uses each bound service (see bindings.ts). */
  bindingUse: BindingUseName;
  /** wrangler.toml sections after the routes and service bindings. */
  wranglerSections(context: TemplateContext): string;
  /** `shared/src/contracts/<name>.ts`. */
  contract(context: TemplateContext): string;
  /** Files under `services/<name>/` besides package.json, tsconfig.json and wrangler.toml: src/ and the test. */
  serviceFiles(context: TemplateContext): Record<string, string>;
  /** The exports the contract module adds to `@edgeops/contracts/contracts` (checked for clashes). */
  contractExports(context: TemplateContext): string[];
  /** `METHOD path` of each route, for the summary. */
  endpoints(context: TemplateContext): string[];
}
