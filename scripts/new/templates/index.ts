export { TEMPLATES, TEMPLATE_NAMES, isTemplateName, type TemplateName } from './registry.ts';
export type { Template, TemplateContext, GeneratedFile } from './context.ts';
export { renderTemplate } from './render.ts';
