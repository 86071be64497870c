import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors.ts';

/**
 * Finds the line a key path is written on, best effort: the last segment written as `key =`
 * or as a table header. Used only to point the user at the right place.
 */
export function lineOfKey(text: string, keyPath: (string | number)[]): number | undefined {
  const names = keyPath.filter((segment): segment is string => typeof segment === 'string');
  const lines = text.split('\n');
  for (let depth = names.length - 1; depth >= 0; depth--) {
    const name = names[depth]!;
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`^\\s*(?:"${escaped}"|${escaped})\\s*=|^\\s*\\[\\[?[^\\]]*\\b${escaped}\\]\\]?\\s*$`);
    const index = lines.findIndex((line) => pattern.test(line));
    if (index >= 0) return index + 1;
  }
  return undefined;
}

/** Reads and parses a file with a schema; every problem becomes a {@link ConfigError} naming file, key and line. */
export async function readConfig<S extends z.ZodType>(
  path: string,
  rootDir: string,
  schema: S,
  format: 'toml' | 'json',
): Promise<{ value: z.output<S>; raw: Record<string, unknown>; text: string }> {
  const file = relative(rootDir, path) || path;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConfigError([{ file, keyPath: '', message: 'file not found or not readable' }]);
  }
  let raw: Record<string, unknown>;
  try {
    raw = format === 'toml' ? (parseToml(text) as Record<string, unknown>) : (JSON.parse(text) as Record<string, unknown>);
  } catch (error) {
    const line = error instanceof TomlError ? error.line : undefined;
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new ConfigError([{ file, keyPath: '', ...(line ? { line } : {}), message: `not valid ${format.toUpperCase()}: ${message}` }]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issues: ConfigIssue[] = result.error.issues.map((issue) => {
      const keyPath = issue.path.map(String).join('.');
      const line = lineOfKey(text, issue.path as (string | number)[]);
      return { file, keyPath, ...(line ? { line } : {}), message: `expected ${issue.message.replace(/^Invalid input: expected /, '')}` };
    });
    throw new ConfigError(issues);
  }
  return { value: result.data, raw, text };
}
