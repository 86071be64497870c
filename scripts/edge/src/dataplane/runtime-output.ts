import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

/**
 * workerd's stdout and stderr: passed through to this process (Workers' console output belongs to
 * the edge's log) and kept, the last lines of stderr, so a failed start can say what workerd said.
 */
export class RuntimeOutput {
  #recent: string[] = [];
  #mark = 0;
  #written = 0;

  /** `echoStdout: false` when the edge's log (logs.ts) prints Workers' console output instead. */
  constructor(
    private readonly limit = 200,
    private readonly echoStdout = true,
  ) {}

  readonly handle = (stdout: Readable, stderr: Readable): void => {
    createInterface({ input: stdout }).on('line', (line) => {
      if (this.echoStdout) process.stdout.write(`${line}\n`);
    });
    createInterface({ input: stderr }).on('line', (line) => {
      this.#recent.push(line);
      this.#written++;
      if (this.#recent.length > this.limit) this.#recent.shift();
      process.stderr.write(`${line}\n`);
    });
  };

  /** Remember where stderr is now; {@link since} returns what came after. */
  mark(): void {
    this.#mark = this.#written;
  }

  since(): string[] {
    const count = Math.min(this.#written - this.#mark, this.#recent.length);
    return count > 0 ? this.#recent.slice(-count) : [];
  }
}
