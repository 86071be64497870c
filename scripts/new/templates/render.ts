import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { identifiersOf } from '../names.ts';
import type { GeneratedFile, Template, TemplateContext } from './context.ts';

/** The folders of a template that are copied: they mirror the repository (`services/<name>/…`, `shared/src/contracts/<name>.ts`). */
const COPIED = ['services', 'shared'];

/**
 * The context a template's own files are written for: its placeholder service name, on the default
 * route of the example fleet's zone, with no bindings. Every value here is replaced in a copy.
 */
export function placeholderContext(template: Template): TemplateContext {
  const name = template.placeholder;
  return {
    name,
    ids: identifiersOf(name),
    route: { pattern: `api.example.com/${name}*`, zoneName: 'example.com', host: 'api.example.com', basePath: `/${name}` },
    compatibilityDate: '',
    contractsVersion: '',
    bindings: [],
  };
}

interface Substitution {
  find: RegExp;
  replace: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Characters that continue a word: an identifier, or a dashed name like `http-sample-jobs`. */
const WORD = '[\\w$-]';
const wholeWord = (token: string) => new RegExp(`(?<!${WORD})${escape(token)}(?!${WORD})`, 'g');

/** A TOML / JSON basic string (JSON's escapes are TOML's for what we write). */
const quoted = (value: string) => JSON.stringify(value);

/**
 * What a copy replaces, in this order: the fleet's values (compatibility date, contracts version),
 * the route (pattern, zone, host, base path), then every identifier the template derives from the
 * service name (its `names`, and the name's own forms), longest first, as whole words only.
 */
export function substitutions(template: Template, context: TemplateContext): Substitution[] {
  const from = placeholderContext(template);
  const fleetValues: Substitution[] = [
    { find: /^compatibility_date = .*$/m, replace: `compatibility_date = ${quoted(context.compatibilityDate)}` },
    { find: /"@edgeops\/contracts": "[^"]*"/, replace: `"@edgeops/contracts": ${quoted(context.contractsVersion)}` },
  ];
  const route: Substitution[] = [
    { find: new RegExp(escape(quoted(from.route.pattern)), 'g'), replace: quoted(context.route.pattern) },
    { find: new RegExp(`zone_name = ${escape(quoted(from.route.zoneName))}`, 'g'), replace: `zone_name = ${quoted(context.route.zoneName)}` },
    { find: new RegExp(escape(`https://${from.route.host}`), 'g'), replace: `https://${context.route.host}` },
    { find: new RegExp(`(?<![\\w.$-])${escape(from.route.basePath)}(?!${WORD})`, 'g'), replace: context.route.basePath },
  ];
  const pairs = new Map<string, string>();
  const own = (ids: TemplateContext) => ({ ...template.names(ids), ...ids.ids, name: ids.name, snake: ids.name.replace(/-/g, '_') });
  const to = own(context);
  for (const [role, placeholder] of Object.entries(own(from))) {
    const value = to[role as keyof typeof to];
    if (value === undefined) throw new Error(`template ${template.placeholder}: no value for "${role}"`);
    pairs.set(placeholder, value);
  }
  const identifiers = [...pairs.entries()]
    .sort(([a], [b]) => b.length - a.length)
    .map(([placeholder, value]) => ({ find: wholeWord(placeholder), replace: value }));
  return [...fleetValues, ...route, ...identifiers];
}

/** A line that is only a slot marker (`// @bind name` or `# @bind name`), and an inline one (`/* @bind name *\/`). */
const LINE_SLOT = /^([ \t]*)(?:\/\/|#) @bind ([a-z-]+)[ \t]*\n/gm;
const INLINE_SLOT = / ?\/\* @bind ([a-z-]+) \*\//g;

/**
 * Fills each `@bind` slot with the template's generated text: a line marker becomes those lines at
 * its indentation (or nothing), an inline marker the text itself. A marker without a slot is a bug
 * in the template, and so is a slot without a marker.
 */
export function fillSlots(path: string, text: string, slots: Record<string, string>, used: Set<string>): string {
  const slot = (name: string) => {
    const value = slots[name];
    if (value === undefined) throw new Error(`template file ${path}: unknown slot "@bind ${name}"; expected one of: ${Object.keys(slots).join(', ')}`);
    used.add(name);
    return value;
  };
  const lines = text.replace(LINE_SLOT, (_marker, indent: string, name: string) => {
    const value = slot(name);
    return value === '' ? '' : `${value.replace(/\n$/, '').split('\n').map((line) => (line === '' ? '' : `${indent}${line}`)).join('\n')}\n`;
  });
  return lines.replace(INLINE_SLOT, (_marker, name: string) => slot(name));
}

/** The files of a template's folder that are copied, relative to it. */
async function templateFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .filter((path) => COPIED.includes(path.split('/')[0]!))
    .sort();
}

/**
 * A template's files for a new service: each file of its folder, copied with the placeholder's
 * names replaced by the service's and its `@bind` slots filled, plus the files only bindings need.
 * Throws when a placeholder survives the copy (a name the template's `names` does not list).
 */
export async function renderTemplate(template: Template, context: TemplateContext): Promise<GeneratedFile[]> {
  const dir = fileURLToPath(template.dir);
  const rules = substitutions(template, context);
  const substitute = (text: string) => rules.reduce((result, rule) => result.replace(rule.find, rule.replace), text);
  const slots = template.slots(context);
  const used = new Set<string>();
  const files: GeneratedFile[] = [];
  for (const path of await templateFiles(dir)) {
    const source = await readFile(join(dir, path), 'utf8');
    files.push({ path: substitute(path), contents: fillSlots(path, substitute(source), slots, used) });
  }
  const unused = Object.keys(slots).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`template ${template.placeholder}: slots without a marker in its files: ${unused.join(', ')}`);
  for (const [path, contents] of Object.entries(template.bindingFiles(context))) files.push({ path: `services/${context.name}/${path}`, contents });
  const leftover = new RegExp(template.placeholder.split('-').join('[-_ ]?'), 'i');
  for (const file of files) {
    const line = `${file.path}\n${file.contents}`.split('\n').findIndex((text) => leftover.test(text));
    if (line !== -1 && context.name !== template.placeholder) {
      throw new Error(`template ${template.placeholder}: ${file.path} still says "${template.placeholder}" after the copy (line ${line}); add the name to the template's names`);
    }
  }
  return files;
}
