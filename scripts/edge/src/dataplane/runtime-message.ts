/**
 * What of workerd's output an API answer may carry: its messages, not this machine. Native stack
 * lines (`stack: /…/workerd@5219ad8 …`) and absolute host paths (the install directory, the state
 * directory) are the edge operator's business; they stay in the edge's own log.
 */

/** An absolute path of two or more segments, not part of a URL or of a `name:line` position. */
const ABSOLUTE_PATH = /(?<![\w:/.-])\/(?:[^\s/:;"'`()<>]+\/)+[^\s/:;"'`()<>]*/g;

export function withoutHostDetails(line: string): string {
  return line.replace(ABSOLUTE_PATH, '<host path>');
}

/** The lines of runtime output fit for an API answer: stack lines dropped, host paths hidden. */
export function publicRuntimeLines(lines: readonly string[]): string[] {
  return lines.filter((line) => !/^\s*stack:/.test(line)).map(withoutHostDetails);
}
