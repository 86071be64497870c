/** Escaping for text placed in GitHub-flavoured Markdown, so a plan's strings render as written. */

/** Plain text in a paragraph or table cell: Markdown/HTML punctuation escaped, one line. */
export function escapeText(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, (char) => `\\${char}`);
}

/** A code span that survives backticks inside it, and a `|` inside a table cell. */
export function codeSpan(text: string): string {
  const oneLine = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

export function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}
