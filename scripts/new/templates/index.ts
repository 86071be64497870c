export { TEMPLATES, TEMPLATE_NAMES, isTemplateName, type TemplateName } from './registry.ts';
export type { Template, TemplateContext, GeneratedFile } from './context.ts';
export { packageJson, tsconfigJson, wranglerToml } from './common.ts';
