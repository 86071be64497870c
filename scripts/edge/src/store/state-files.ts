/**
 * Loading and saving the state files so that damage is never read as data. Every file is parsed
 * with its schema (state-schemas.ts), and `<stateDir>/state-manifest.json` records the sha256 of
 * what the edge last wrote to each: a file emptied, rewritten or deleted behind the edge's back is
 * a `StateDamageError` naming it and the way out, never a silent re-creation.
 *
 * A save is journalled so a crash at any point leaves a consistent manifest: (1) the manifest
 * accepts a changed file's old and new contents, (2) the files are written, (3) the manifest keeps
 * only the new ones.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { readOptionalFile } from '../../../cloudflare/optional-file.ts';
import { writeFileAtomic } from './files.ts';
import { COLLECTION_SCHEMAS } from './state-schemas.ts';
import { COLLECTION_FILES, COLLECTION_NAMES, type CollectionName, type EdgeState } from './state.ts';

export const MANIFEST_FILE = 'state-manifest.json';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Manifest = z.object({
  format: z.literal(1),
  /** For each state file, the sha256 of every content it may hold: one, or two while a save is under way. */
  files: z.record(z.string(), z.array(Sha256).min(1)),
});
type Manifest = z.infer<typeof Manifest>;

/** A state file that is missing, changed outside the edge, or not what the edge writes. */
export class StateDamageError extends Error {
  constructor(
    readonly file: string,
    problem: string,
    stateDir: string,
  ) {
    super(
      `edge state file ${file} ${problem}. Nothing was changed. Restore ${stateDir} from a backup, or start over with --reset ` +
        `(which deletes every script, route, namespace and database the edge holds in ${stateDir}).`,
    );
    this.name = 'StateDamageError';
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const serialise = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(the whole file)'}: ${issue.message}`)
    .join('; ');
}

export class StateFiles {
  readonly #stateDir: string;
  readonly #directory: string;
  readonly #manifestPath: string;
  #manifest: Manifest = { format: 1, files: {} };

  constructor(stateDir: string) {
    this.#stateDir = stateDir;
    this.#directory = join(stateDir, 'state');
    this.#manifestPath = join(stateDir, MANIFEST_FILE);
  }

  /** Deletes every state file and the manifest (`--reset`). */
  async remove(): Promise<void> {
    await rm(this.#directory, { recursive: true, force: true });
    await rm(this.#manifestPath, { force: true });
  }

  /**
   * The collections on disk, each checked against the manifest and its schema. Absent from the
   * result: collections never written (a new state directory, or a collection newer than it).
   */
  async load(): Promise<Partial<EdgeState>> {
    const manifestText = await readOptionalFile(this.#manifestPath);
    const manifest = manifestText === undefined ? undefined : this.#parseManifest(manifestText);
    const texts = new Map<CollectionName, string>();
    for (const name of COLLECTION_NAMES) {
      const text = await readOptionalFile(join(this.#directory, COLLECTION_FILES[name]));
      if (text !== undefined) texts.set(name, text);
    }
    // Parsed first, so a file that is not JSON or not of its shape says so rather than just "changed".
    const loaded: Partial<EdgeState> = {};
    for (const [name, text] of texts) Object.assign(loaded, { [name]: this.#parse(name, text) });
    if (manifest) {
      for (const [file, hashes] of Object.entries(manifest.files)) {
        const name = COLLECTION_NAMES.find((candidate) => COLLECTION_FILES[candidate] === file);
        if (name === undefined) continue;
        const text = texts.get(name);
        if (text === undefined) throw this.#damage(file, 'is missing (the edge wrote it and it has been deleted since)');
        if (!hashes.includes(sha256(text))) throw this.#damage(file, 'was changed outside the edge (its contents are not what the edge last wrote)');
      }
      this.#manifest = manifest;
    } else if (texts.size > 0 && !texts.has('account')) {
      // A state directory from before the manifest: its other files exist, so the account must too.
      throw this.#damage(COLLECTION_FILES.account, 'is missing while the other state files are there');
    }
    return loaded;
  }

  /** Writes the named collections of `state` (journalled through the manifest, see above). */
  async save(state: EdgeState, names: readonly CollectionName[]): Promise<void> {
    const writes = names.map((name) => ({ file: COLLECTION_FILES[name], text: serialise(state[name]) }));
    const pending: Manifest = { format: 1, files: { ...this.#manifest.files } };
    for (const { file, text } of writes) pending.files[file] = [...new Set([...(this.#manifest.files[file] ?? []), sha256(text)])];
    await writeFileAtomic(this.#manifestPath, serialise(pending));
    for (const { file, text } of writes) await writeFileAtomic(join(this.#directory, file), text);
    const settled: Manifest = { format: 1, files: { ...this.#manifest.files } };
    for (const { file, text } of writes) settled.files[file] = [sha256(text)];
    await writeFileAtomic(this.#manifestPath, serialise(settled));
    this.#manifest = settled;
  }

  #parseManifest(text: string): Manifest {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw this.#damage(MANIFEST_FILE, `is not valid JSON (${(error as Error).message})`, this.#manifestPath);
    }
    const parsed = Manifest.safeParse(value);
    if (!parsed.success) throw this.#damage(MANIFEST_FILE, `is not what the edge writes (${describeIssues(parsed.error)})`, this.#manifestPath);
    return parsed.data;
  }

  #parse<K extends CollectionName>(name: K, text: string): EdgeState[K] {
    const file = COLLECTION_FILES[name];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw this.#damage(file, `is not valid JSON (${(error as Error).message})`);
    }
    const parsed = COLLECTION_SCHEMAS[name].safeParse(value);
    if (!parsed.success) throw this.#damage(file, `is not what the edge writes (${describeIssues(parsed.error)})`);
    return parsed.data;
  }

  #damage(file: string, problem: string, path = join(this.#directory, file)): StateDamageError {
    return new StateDamageError(path, problem, this.#stateDir);
  }
}
