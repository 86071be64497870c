import { createInterface } from 'node:readline';
import type { Fleet } from '../fleet/load.ts';
import { ScaffoldError } from './errors.ts';
import { nameProblem } from './names.ts';
import { defaultRoutePattern } from './routes.ts';
import { isTemplateName, TEMPLATE_NAMES, TEMPLATES, type TemplateName } from './templates/index.ts';

/** Asks the user one line at a time. */
export interface Prompter {
  ask(question: string): Promise<string>;
  /** Tells the user something without asking. */
  say(text: string): void;
  close(): void;
}

/**
 * A prompter over a terminal (or any line stream). Lines are read through an async iterator, so
 * answers typed or piped ahead of a question are kept, not dropped.
 */
export function linePrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  const lines = createInterface({ input, terminal: false, crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  return {
    async ask(question) {
      output.write(question);
      const next = await iterator.next();
      if (next.done) throw new ScaffoldError('input ended before every question was answered; nothing was written');
      return next.value.trim();
    },
    say: (text) => output.write(`${text}\n`),
    close: () => lines.close(),
  };
}

/** What the command line gave; anything absent may be asked for. */
export interface GivenInput {
  name?: string | undefined;
  template?: TemplateName | undefined;
  route?: string | undefined;
  bind?: string[] | undefined;
}

export interface CompleteInput {
  name: string;
  template: TemplateName;
  route?: string | undefined;
  bind: string[];
}

const ATTEMPTS = 3;

async function askUntil<T>(prompter: Prompter, question: string, parse: (answer: string) => { value: T } | { problem: string }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const parsed = parse(await prompter.ask(question));
    if ('value' in parsed) return parsed.value;
    if (attempt >= ATTEMPTS) throw new ScaffoldError(`${parsed.problem}; nothing was written`);
    prompter.say(`  ${parsed.problem}`);
  }
}

/** Comma- or space-separated service names. */
export const splitServices = (text: string): string[] => text.split(/[\s,]+/).filter((item) => item !== '');

/**
 * Asks for whatever the command line left out. The name is always asked for when missing; the
 * template, route and bindings only when `askOptional` (a terminal without --yes), else defaults.
 */
export async function askMissing(given: GivenInput, fleet: Fleet, prompter: Prompter, askOptional: boolean): Promise<CompleteInput> {
  const existing = fleet.services.map((service) => service.name);
  const name =
    given.name ??
    (await askUntil<string>(prompter, 'Service name (lowercase, e.g. billing): ', (answer) => {
      const problem = nameProblem(answer) ?? (existing.includes(answer) ? `service "${answer}" already exists` : undefined);
      return problem ? { problem } : { value: answer };
    }));

  const templateList = TEMPLATE_NAMES.map((key) => `  ${key.padEnd(6)} ${TEMPLATES[key].summary}`).join('\n');
  const template =
    given.template ??
    (askOptional
      ? await askUntil<TemplateName>(prompter, `Template:\n${templateList}\nWhich one? [http]: `, (answer) => {
          const choice = answer === '' ? 'http' : answer;
          return isTemplateName(choice) ? { value: choice } : { problem: `"${choice}" is not a template; expected one of: ${TEMPLATE_NAMES.join(', ')}` };
        })
      : 'http');

  let route = given.route;
  if (route === undefined && askOptional) {
    const fallback = defaultRoutePattern(fleet, name);
    const answer = await prompter.ask(`Route pattern [${fallback}]: `);
    route = answer === '' ? undefined : answer;
  }

  let bind = given.bind;
  if (bind === undefined && askOptional) {
    bind = splitServices(await prompter.ask(`Bind to services, called through their typed clients (${existing.join(', ')}; blank for none): `));
  }
  return { name, template, route, bind: bind ?? [] };
}

/** Yes unless the answer starts with n. */
export async function confirm(prompter: Prompter, question: string): Promise<boolean> {
  return !/^n/i.test(await prompter.ask(question));
}
