import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROUTER_ENTRY = fileURLToPath(new URL('./router.worker.ts', import.meta.url));

const TAIL_ENTRY = fileURLToPath(new URL('./tail.worker.ts', import.meta.url));

const LISTENER_ENTRY = fileURLToPath(new URL('./listener-thread.ts', import.meta.url));

let routerBundle: Promise<string> | undefined;
let tailBundle: Promise<string> | undefined;
let listenerBundle: Promise<string> | undefined;

/** The router worker as one ES module (bundled once per process). */
export function bundleRouterWorker(): Promise<string> {
  routerBundle ??= bundle(ROUTER_ENTRY);
  return routerBundle;
}

/** The tail worker (tail.worker.ts) as one ES module (bundled once per process). */
export function bundleTailWorker(): Promise<string> {
  tailBundle ??= bundle(TAIL_ENTRY);
  return tailBundle;
}

/** npm packages a Node bundle requires from where they are installed (by absolute path), rather than carrying them. */
function installedPackages(names: readonly string[]): Plugin {
  const require = createRequire(import.meta.url);
  const filter = new RegExp(`^(${names.join('|')})$`);
  return { name: 'installed-packages', setup: (plugin) => plugin.onResolve({ filter }, (args) => ({ path: require.resolve(args.path), external: true })) };
}

/**
 * The listener's thread (listener-thread.ts) as one CommonJS script, which a worker thread runs as
 * `eval` code: the thread then needs no TypeScript loader, under tsx or vitest alike. undici is
 * required from node_modules by absolute path (an eval'd script resolves nothing relative).
 */
export function bundleListenerThread(): Promise<string> {
  listenerBundle ??= bundle(LISTENER_ENTRY, 'node', [installedPackages(['undici'])]);
  return listenerBundle;
}

function bundle(entry: string, platform: 'neutral' | 'node' = 'neutral', plugins: Plugin[] = []): Promise<string> {
  return build({
    entryPoints: [entry],
    bundle: true,
    format: platform === 'node' ? 'cjs' : 'esm',
    platform,
    plugins,
    target: platform === 'node' ? 'node20' : 'es2022',
    write: false,
    minify: true,
    logLevel: 'silent',
  }).then((result) => {
    const output = result.outputFiles[0];
    if (!output) throw new Error(`esbuild produced no output for ${entry}`);
    return output.text;
  });
}
