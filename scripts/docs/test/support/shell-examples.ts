import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One fenced shell block of a Markdown file. */
export interface ShellExample {
  /** Path relative to the repository root, e.g. `docs/local-edge.md`. */
  file: string;
  /** 1-based line of the block's first line of code (the line after the opening fence). */
  line: number;
  /** The block's code, without the fences, de-indented by the fence's indentation. */
  code: string;
  /**
   * How the classification table names it: the file and the block's first line, with a trailing
   * `# comment` and repeated spaces removed (stable when lines are added above it).
   */
  key: string;
}

/** The info strings that mark a block as something to type into a shell. */
export const SHELL_LANGUAGES: ReadonlySet<string> = new Set(['sh', 'bash', 'shell', 'console']);

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;

export function exampleKey(file: string, code: string): string {
  const first = code.split('\n').find((line) => line.trim() !== '') ?? '';
  const trimmed = first.trim();
  const command = trimmed.startsWith('#') ? trimmed : trimmed.replace(/\s+#.*$/, '');
  return `${file}: ${command.replace(/\s+/g, ' ')}`;
}

/** Every fenced shell block of one Markdown text (CommonMark fences: ``` or ~~~, closed by the same or longer). */
export function shellExamples(file: string, markdown: string): ShellExample[] {
  const lines = markdown.split('\n');
  const examples: ShellExample[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const open = FENCE.exec(lines[index] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', language = ''] = open;
    const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let end = index + 1;
    while (end < lines.length && !close.test(lines[end] ?? '')) end += 1;
    if (SHELL_LANGUAGES.has(language)) {
      const code = lines.slice(index + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line)).join('\n');
      examples.push({ file, line: index + 2, code, key: exampleKey(file, code) });
    }
    index = end;
  }
  return examples;
}

/** The Markdown files whose examples a user follows: the README and every page of docs/. */
export function documentedExamples(root: string): ShellExample[] {
  const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)];
  return files.flatMap((file) => shellExamples(file, readFileSync(join(root, file), 'utf8')));
}
