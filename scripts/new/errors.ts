/**
 * What `npm run new` exits with. Documented in docs/new.md; scripts and CI may rely on them.
 * Every failure before writing is `invalidInput`: nothing was written.
 */
export const EXIT_CODES = {
  /** The service was created, checked and linked into the workspace. */
  ok: 0,
  /** A name, template, route or binding was refused, or input was missing: nothing was written. */
  invalidInput: 1,
  /** Writing or the final fleet self-check failed: everything written was removed again. */
  rolledBack: 2,
  /** The service was created and checked, but `npm install` failed: run it yourself. */
  installFailed: 3,
  /** The user declined the confirmation prompt: nothing was written. */
  declined: 4,
} as const;

export type ExitCodeName = keyof typeof EXIT_CODES;

/** A refusal with a message for the user and the exit code it maps to. */
export class ScaffoldError extends Error {
  constructor(
    message: string,
    readonly exit: ExitCodeName = 'invalidInput',
  ) {
    super(message);
    this.name = 'ScaffoldError';
  }
}
