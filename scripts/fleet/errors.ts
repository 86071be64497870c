/** One thing wrong with the fleet's configuration: which file, where in it, and what was expected. */
export interface ConfigIssue {
  file: string;
  /** Dotted key path inside the file, e.g. `routes.0.pattern`; empty for the file as a whole. */
  keyPath: string;
  /** 1-based line in the file, where it could be found. */
  line?: number;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line ? `${issue.file}:${issue.line}` : issue.file;
  return issue.keyPath ? `${where}: ${issue.keyPath}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** The fleet's configuration is wrong; nothing may be applied. Lists every issue found. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
  }
}
