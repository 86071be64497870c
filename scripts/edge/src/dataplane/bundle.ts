import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROUTER_ENTRY = fileURLToPath(new URL('./router.worker.ts', import.meta.url));

let routerBundle: Promise<string> | undefined;

/** The router worker as one ES module (bundled once per process). */
export function bundleRouterWorker(): Promise<string> {
  routerBundle ??= build({
    entryPoints: [ROUTER_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    minify: true,
    logLevel: 'silent',
  }).then((result) => {
    const output = result.outputFiles[0];
    if (!output) throw new Error('esbuild produced no output for the router worker');
    return output.text;
  });
  return routerBundle;
}
