import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../fleet/errors.ts';
import { loadFleet } from '../fleet/load.ts';
import { EXIT_CODES, ScaffoldError } from './errors.ts';
import { MAX_NAME_LENGTH, RESERVED_NAMES } from './names.ts';
import { askMissing, confirm, linePrompter, splitServices, type CompleteInput, type GivenInput, type Prompter } from './prompt.ts';
import { formatConfirmation } from './report.ts';
import { scaffold } from './scaffold.ts';
import { TEMPLATE_NAMES, TEMPLATES, type TemplateName } from './templates/index.ts';

/** Where the CLI reads and writes; the process's own streams unless a test gives others. */
export interface CliIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Whether a person can answer questions (stdin is a terminal). */
  interactive: boolean;
}

interface CliOptions {
  template?: TemplateName;
  route?: string;
  bind?: string[];
  dryRun?: boolean;
  yes?: boolean;
  install: boolean;
}

function program(io: CliIO): Command {
  const templates = TEMPLATE_NAMES.map((name) => `  ${name.padEnd(6)} ${TEMPLATES[name].summary}`).join('\n');
  return new Command('npm run new --')
    .description('Scaffold a service end to end: code, wrangler.toml, contract, route and a test that runs it in workerd.')
    .argument('[name]', `the service name: a lowercase letter, then letters and digits joined by single - or _; at most ${MAX_NAME_LENGTH} characters`)
    .addOption(new Option('-t, --template <template>', 'the kind of service (default: http)').choices(TEMPLATE_NAMES))
    .option('-r, --route <pattern>', 'its route pattern (default: api.<first zone>/<name>*)')
    .option('-b, --bind <service...>', 'services it calls through their typed clients (repeatable or comma-separated)')
    .option('--dry-run', 'list the files it would write and the lines it would change; write nothing')
    .option('-y, --yes', 'ask nothing but a missing name: defaults for the rest, no confirmation')
    .option('--no-install', 'skip the final `npm install` that links the new workspace')
    .addHelpText(
      'after',
      `\nTemplates:\n${templates}\n\nReserved names: ${RESERVED_NAMES.join(', ')}\n\nExit codes: ${Object.entries(EXIT_CODES)
        .map(([name, code]) => `${code} ${name}`)
        .join(', ')} (see docs/new.md)\n\nExample: npm run new -- billing --template http --bind users`,
    )
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride();
}

/** Runs `npm run new` with the given arguments (as after `node main.ts`); returns the exit code. */
export async function runCli(args: string[], rootDir: string, io: CliIO): Promise<number> {
  const command = program(io);
  try {
    command.parse(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.invalidInput;
    throw error;
  }
  const options = command.opts<CliOptions>();
  const given: GivenInput = {
    name: command.args[0],
    template: options.template,
    route: options.route,
    bind: options.bind?.flatMap(splitServices),
  };
  let prompter: Prompter | undefined;
  try {
    const askOptional = io.interactive && !options.yes;
    let input: CompleteInput;
    if (io.interactive) {
      prompter = linePrompter(io.stdin, io.stdout);
      input = await askMissing(given, await loadFleet(rootDir), prompter, askOptional);
    } else if (given.name !== undefined) {
      input = { name: given.name, template: given.template ?? 'http', route: given.route, bind: given.bind ?? [] };
    } else {
      throw new ScaffoldError('missing the service name, and stdin is not a terminal to ask for it; pass it: npm run new -- <name> [--template http|queue|cron]');
    }
    const ask = prompter;
    const result = await scaffold(
      { rootDir, ...input },
      {
        dryRun: options.dryRun ?? false,
        install: options.install,
        print: (text) => io.stdout.write(`${text}\n`),
        ...(ask && askOptional && !options.dryRun
          ? {
              confirm: async (plan) => {
                ask.say(formatConfirmation(plan));
                return confirm(ask, 'Create it? [Y/n] ');
              },
            }
          : {}),
      },
    );
    if (result.installMs !== undefined) io.stdout.write(`(npm install: ${(result.installMs / 1000).toFixed(1)} s)\n`);
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof ScaffoldError) {
      io.stderr.write(`error: ${error.message}\n`);
      return EXIT_CODES[error.exit];
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`error: the fleet's configuration is broken; fix it first:\n${error.message}\n`);
      return EXIT_CODES.invalidInput;
    }
    throw error;
  } finally {
    prompter?.close();
  }
}
