import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/** The paths whose changes mean the fleet must be rebuilt: every service, the contracts and the root config. */
export const WATCHED = ['services', 'shared/src', 'wrangler.toml'];

const IGNORED = /(^|[/\\])(node_modules|\.wrangler|\.bundle|\.dev)([/\\]|$)/;

/** Calls `onChange` once per burst of file changes (debounced), ignoring build output folders. */
export function watchFleet(rootDir: string, onChange: (paths: string[]) => void, debounceMs = 150): () => void {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Set<string>();
  const watchers: FSWatcher[] = WATCHED.map((path) =>
    watch(join(rootDir, path), { recursive: true }, (_event, file) => {
      const changed = file ? join(path, file.toString()) : path;
      if (IGNORED.test(changed)) return;
      pending.add(changed);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const paths = [...pending];
        pending.clear();
        onChange(paths);
      }, debounceMs);
    }),
  );
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
