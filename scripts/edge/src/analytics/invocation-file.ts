/**
 * The invocation log on disk, so the analytics survive an edge restart:
 * `<stateDir>/analytics/invocations.jsonl`, a header line then one invocation per line (the
 * `InvocationSchema` of invocation-log.ts). Batches are appended as they are counted; at start and
 * whenever the file holds half as many lines again as the retention keeps, it is rewritten
 * atomically with only what the retention keeps (the newest `maxCount` of the last `maxAgeMs`).
 *
 * Read back line by line through the schema: a line that is not JSON or not an invocation, or a
 * header that is not ours, is damage — the edge refuses to start and names the file and line rather
 * than count from a log it cannot trust. A last line without its newline is what a crash in the
 * middle of an append leaves: it is dropped. A missing file is an empty log (deleting it is how the
 * counts are started afresh; scripts, routes and data are not in it).
 */
import { appendFile, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../store/files.ts';
import { InvocationSchema, retained, type Invocation, type InvocationLog, type Retention } from './invocation-log.ts';

export const ANALYTICS_DIR = 'analytics';
export const INVOCATIONS_FILE = 'invocations.jsonl';

const Header = z.object({ format: z.literal(1), kind: z.literal('edgeops-invocations') });
const HEADER_LINE = JSON.stringify({ format: 1, kind: 'edgeops-invocations' } satisfies z.infer<typeof Header>);

/** The analytics file is not what the edge writes. */
export class InvocationFileDamageError extends Error {
  constructor(path: string, line: number, problem: string) {
    super(
      `edge analytics file ${path} line ${line} ${problem}. Nothing was changed. Delete the file to start the request counts afresh ` +
        '(it holds only analytics: scripts, routes and data stay), or restore it from a backup.',
    );
    this.name = 'InvocationFileDamageError';
  }
}

function parseLine(path: string, text: string, number: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvocationFileDamageError(path, number, `is not valid JSON (${(error as Error).message})`);
  }
}

function issueText(error: z.ZodError): string {
  return error.issues
    .slice(0, 2)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(the line)'}: ${issue.message}`)
    .join('; ');
}

/** The invocations in `text`, oldest first; throws `InvocationFileDamageError` on damage. */
export function parseInvocations(path: string, text: string): Invocation[] {
  if (text === '') return [];
  // The last piece is '' after the final newline, or what a crash mid-append left: dropped either way.
  const complete = text.split('\n').slice(0, -1);
  const [header, ...rest] = complete;
  if (header === undefined) return [];
  if (!Header.safeParse(parseLine(path, header, 1)).success) throw new InvocationFileDamageError(path, 1, `is not the header the edge writes (${HEADER_LINE})`);
  return rest.map((line, index) => {
    const parsed = InvocationSchema.safeParse(parseLine(path, line, index + 2));
    if (!parsed.success) throw new InvocationFileDamageError(path, index + 2, `is not an invocation the edge writes (${issueText(parsed.error)})`);
    return parsed.data;
  });
}

const serialise = (invocations: readonly Invocation[]): string => `${[HEADER_LINE, ...invocations.map((invocation) => JSON.stringify(invocation))].join('\n')}\n`;

export class InvocationFile {
  readonly #path: string;
  readonly #retention: Retention;
  #lines: number;
  /** Appends and rewrites, one after the other. */
  #queue: Promise<void> = Promise.resolve();
  #failure: Error | undefined;

  private constructor(path: string, retention: Retention, lines: number) {
    this.#path = path;
    this.#retention = retention;
    this.#lines = lines;
  }

  /** Reads (and compacts) the state dir's invocation log; resolves to the file and what it kept. */
  static async open(stateDir: string, retention: Retention, now: number): Promise<{ file: InvocationFile; restored: Invocation[] }> {
    const path = join(stateDir, ANALYTICS_DIR, INVOCATIONS_FILE);
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const restored = retained(parseInvocations(path, text), retention, now);
    await writeFileAtomic(path, serialise(restored));
    return { file: new InvocationFile(path, retention, restored.length), restored };
  }

  /** Removes the analytics of `stateDir` (`--reset`). */
  static async remove(stateDir: string): Promise<void> {
    await rm(join(stateDir, ANALYTICS_DIR), { recursive: true, force: true });
  }

  /** Appends what `log` counts from now on; rewrites the file with `log`'s retained invocations when it has grown. */
  follow(log: InvocationLog): () => void {
    return log.onCounted((invocations) => {
      const text = invocations.map((invocation) => `${JSON.stringify(invocation)}\n`).join('');
      this.#enqueue(async () => {
        await appendFile(this.#path, text, { mode: 0o600 });
        this.#lines += invocations.length;
        if (this.#lines > this.#retention.maxCount * 1.5) {
          const kept = log.prune();
          await writeFileAtomic(this.#path, serialise(kept));
          this.#lines = kept.length;
        }
      });
    });
  }

  /** Waits for every pending write; rejects with the first write that failed. */
  async close(): Promise<void> {
    await this.#queue;
    if (this.#failure) throw this.#failure;
  }

  #enqueue(write: () => Promise<void>): void {
    this.#queue = this.#queue.then(write).catch((error: unknown) => {
      // Analytics never stop the data plane: the first failure is reported once, on stderr and at close.
      if (this.#failure) return;
      this.#failure = error instanceof Error ? error : new Error(String(error));
      process.stderr.write(`edge: could not write the analytics file ${this.#path} (${this.#failure.message}); the counts it misses are kept in memory only\n`);
    });
  }
}
