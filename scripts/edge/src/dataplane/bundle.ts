import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROUTER_ENTRY = fileURLToPath(new URL('./router.worker.ts', import.meta.url));

const TAIL_ENTRY = fileURLToPath(new URL('./tail.worker.ts', import.meta.url));

let routerBundle: Promise<string> | undefined;
let tailBundle: Promise<string> | undefined;

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

function bundle(entry: string): Promise<string> {
  return build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    minify: true,
    logLevel: 'silent',
  }).then((result) => {
    const output = result.outputFiles[0];
    if (!output) throw new Error(`esbuild produced no output for ${entry}`);
    return output.text;
  });
}
