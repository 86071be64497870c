/**
 * Splits SQL text into its statements, the way D1 runs a multi-statement `sql` (one result per
 * statement): at `;` outside string literals, quoted identifiers, comments and `CREATE TRIGGER …
 * BEGIN … END` bodies (whose `CASE … END` nests). Comments before a statement and comment-only
 * pieces are dropped. Each statement
 * keeps the line it starts on, so an error can name it.
 */

export interface SqlStatement {
  /** The statement's text, trimmed, without its terminating `;`. */
  sql: string;
  /** 1-based line of the text where the statement starts. */
  line: number;
}

const CLOSING_QUOTE: Record<string, string> = { "'": "'", '"': '"', '`': '`', '[': ']' };

/** Block keywords that open (inside a trigger) or close a nested `;`-holding body. */
function blockDelta(word: string, inTrigger: boolean): number {
  if (word === 'END') return -1;
  if (word === 'CASE') return 1;
  if (word === 'BEGIN' && inTrigger) return 1;
  return 0;
}

export function splitSqlStatements(text: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let depth = 0;
  let words: string[] = [];
  /** Where the statement's first token is (leading comments are not part of it); -1 before it. */
  let first = -1;
  const begin = (at: number) => {
    if (first === -1) first = at;
  };
  const push = (end: number) => {
    if (first !== -1) statements.push({ sql: text.slice(first, end).trim(), line: text.slice(0, first).split('\n').length });
    depth = 0;
    words = [];
    first = -1;
  };
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    const next = text[index + 1] ?? '';
    if (char === '-' && next === '-') {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end;
      continue;
    }
    if (char === '/' && next === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end === -1 ? text.length : end + 2;
      continue;
    }
    const closing = CLOSING_QUOTE[char];
    if (closing !== undefined) {
      begin(index);
      let end = index + 1;
      while (end < text.length) {
        if (text[end] === closing) {
          // A doubled quote is an escaped one ('it''s'); brackets do not double.
          if (closing !== ']' && text[end + 1] === closing) end += 2;
          else break;
        } else end += 1;
      }
      index = end + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(char)) {
      begin(index);
      let end = index + 1;
      while (end < text.length && /[A-Za-z0-9_$]/.test(text[end] ?? '')) end += 1;
      const word = text.slice(index, end).toUpperCase();
      words.push(word);
      depth = Math.max(0, depth + blockDelta(word, words[0] === 'CREATE' && words.includes('TRIGGER')));
      index = end;
      continue;
    }
    if (char === ';' && depth === 0) push(index);
    else if (!/\s/.test(char)) begin(index);
    index += 1;
  }
  push(text.length);
  return statements;
}
