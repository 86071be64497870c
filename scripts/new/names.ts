import { SCRIPT_NAME } from '../fleet/schema.ts';

/**
 * Names a new service may not take: the repository's own folders and packages (a service named
 * `shared` or `scripts` would shadow `@edgeops/contracts`' folder or `@edgeops/scripts`), the npm
 * script verbs, and words that read as infrastructure rather than a service. Documented in docs/new.md.
 */
export const RESERVED_NAMES: readonly string[] = [
  'shared',
  'scripts',
  'services',
  'node_modules',
  'docs',
  'dist',
  'src',
  'test',
  'tests',
  'contracts',
  'edgeops',
  'edge',
  'new',
  'dev',
  'start',
  'plan',
  'apply',
  'status',
  'bench',
  'gitops',
  'fleet',
  'api',
  'internal',
  'workers',
];

/** A Worker name is a DNS label in `<name>.<subdomain>.workers.dev`: 63 characters at most. */
export const MAX_NAME_LENGTH = 63;

/**
 * Stricter than Cloudflare's rule, because the name also becomes TypeScript identifiers, an npm
 * package name and a URL path: a lowercase letter first, then letters and digits in words joined
 * by single `-` or `_`.
 */
const SCAFFOLD_NAME = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

interface NameRule {
  /** Whether the name passes. */
  test(name: string): boolean;
  /** Why it does not, for the user. */
  message(name: string): string;
}

/** Every rule a new service's name must pass, checked in this order; the first failure is reported. */
export const NAME_RULES: readonly NameRule[] = [
  { test: (name) => name.length > 0, message: () => 'the name is empty' },
  {
    test: (name) => name.length <= MAX_NAME_LENGTH,
    message: (name) => `"${name}" is ${name.length} characters long; a Worker name has at most ${MAX_NAME_LENGTH}`,
  },
  {
    test: (name) => SCRIPT_NAME.test(name),
    message: (name) => `"${name}" is not a Worker name: Cloudflare allows lowercase letters, digits, "-" and "_" only (${SCRIPT_NAME.source})`,
  },
  {
    test: (name) => SCAFFOLD_NAME.test(name),
    message: (name) =>
      `"${name}" must start with a lowercase letter and join words with single "-" or "_" (e.g. "billing", "order-archive"), because it also becomes TypeScript identifiers and a URL path`,
  },
  {
    test: (name) => !RESERVED_NAMES.includes(name),
    message: (name) => `"${name}" is a reserved word (reserved: ${RESERVED_NAMES.join(', ')})`,
  },
];

/** The first rule the name breaks, as a message; undefined when the name is fine. */
export function nameProblem(name: string): string | undefined {
  return NAME_RULES.find((rule) => !rule.test(name))?.message(name);
}

/** The identifiers a service name turns into in generated code. */
export interface Identifiers {
  /** `order-archive` → `orderArchive`: the contract is `orderArchiveContract`. */
  camel: string;
  /** `order-archive` → `OrderArchive`: types and classes. */
  pascal: string;
  /** `order-archive` → `ORDER_ARCHIVE`: binding names. */
  constant: string;
  /** `order-archive` → `order archive`: prose in comments and messages. */
  words: string;
}

export function identifiersOf(name: string): Identifiers {
  const words = name.split(/[-_]/).filter((word) => word !== '');
  const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  return {
    camel: words.map((word, index) => (index === 0 ? word : capital(word))).join(''),
    pascal: words.map(capital).join(''),
    constant: words.map((word) => word.toUpperCase()).join('_'),
    words: words.join(' '),
  };
}
