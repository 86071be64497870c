/**
 * Reading a file that may not be there yet (an endpoint file before any edge started, a state file
 * before the first write): its absence is an answer, any other failure an error.
 */
import { readFile } from 'node:fs/promises';

/** The UTF-8 text of `path`, or undefined when it does not exist; any other read error is thrown. */
export async function readOptionalFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
