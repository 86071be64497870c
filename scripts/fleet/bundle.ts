import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { basename, extname, join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import type { FleetService } from './load.ts';

/** One module of a bundled Worker, named as it is uploaded. */
export interface BundleModule {
  name: string;
  type: 'esm' | 'text' | 'data' | 'compiled-wasm' | 'source-map';
  contents: Uint8Array;
}

/** A service built for upload: what Cloudflare runs, and a hash that says whether it changed. */
export interface ServiceBundle {
  mainModule: string;
  modules: BundleModule[];
  /** sha256 over every module's name, type and contents, hex. */
  hash: string;
}

export interface BundleOptions {
  /** Where bundles are cached by the hash of their inputs; none when absent. */
  cacheDir?: string;
}

/** Modules the runtime provides: never bundled. */
const RUNTIME_MODULES = ['cloudflare:*', ...builtinModules.map((name) => `node:${name}`), '__STATIC_CONTENT_MANIFEST'];

/**
 * esbuild settings as `wrangler deploy` uses them for an ES-module Worker (wrangler's bundleWorker:
 * target es2024, conditions workerd/worker/browser, keepNames, NODE_ENV=production, the
 * Cloudflare-Workers user agent), so what we hash is what wrangler would upload.
 */
export function esbuildOptions(service: FleetService): esbuild.BuildOptions & { write: false; metafile: true } {
  const entry = resolve(service.dir, service.config.main);
  const nodeEnv = JSON.stringify('production');
  return {
    entryPoints: [entry],
    absWorkingDir: service.dir,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    target: 'es2024',
    supported: { 'import-source': true },
    loader: { '.js': 'jsx', '.mjs': 'jsx', '.cjs': 'jsx' },
    conditions: ['workerd', 'worker', 'browser'],
    keepNames: true,
    minify: false,
    sourcemap: false,
    outdir: join(service.dir, '.bundle'),
    entryNames: basename(entry, extname(entry)),
    external: RUNTIME_MODULES,
    define: {
      'navigator.userAgent': '"Cloudflare-Workers"',
      'process.env.NODE_ENV': nodeEnv,
      'global.process.env.NODE_ENV': nodeEnv,
      'globalThis.process.env.NODE_ENV': nodeEnv,
    },
    logLevel: 'silent',
  };
}

function hashModules(mainModule: string, modules: BundleModule[]): string {
  const hash = createHash('sha256');
  hash.update(mainModule);
  for (const module of [...modules].sort((a, b) => a.name.localeCompare(b.name))) {
    hash.update(`\0${module.name}\0${module.type}\0`);
    hash.update(module.contents);
  }
  return hash.digest('hex');
}

async function inputsKey(service: FleetService, inputs: string[]): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(esbuildOptions(service), (_key, value: unknown) => (value instanceof RegExp ? String(value) : value)));
  for (const input of [...inputs].sort()) {
    hash.update(`\0${input}\0`);
    hash.update(await readFile(resolve(service.dir, input)));
  }
  return hash.digest('hex');
}

interface CacheEntry {
  inputs: string[];
  inputsKey: string;
  mainModule: string;
  modules: { name: string; type: BundleModule['type']; contents: string }[];
}

async function readCache(cacheDir: string, service: FleetService): Promise<ServiceBundle | undefined> {
  try {
    const entry = JSON.parse(await readFile(join(cacheDir, `${service.name}.json`), 'utf8')) as CacheEntry;
    if ((await inputsKey(service, entry.inputs)) !== entry.inputsKey) return undefined;
    const modules = entry.modules.map((module) => ({ ...module, contents: Buffer.from(module.contents, 'base64') }));
    return { mainModule: entry.mainModule, modules, hash: hashModules(entry.mainModule, modules) };
  } catch {
    return undefined;
  }
}

/**
 * Bundles a service in-process with esbuild. With a cache dir, a service whose inputs (every file
 * esbuild read, and the settings) are unchanged is not rebuilt.
 */
export async function bundleService(service: FleetService, options: BundleOptions = {}): Promise<ServiceBundle> {
  if (options.cacheDir) {
    const cached = await readCache(options.cacheDir, service);
    if (cached) return cached;
  }
  const result = await esbuild.build(esbuildOptions(service));
  const outputs = result.outputFiles.filter((file) => file.path.endsWith('.js'));
  const main = outputs[0];
  if (!main || outputs.length !== 1) throw new Error(`bundling ${service.name}: expected one JavaScript output, got ${outputs.length}`);
  const mainModule = basename(main.path);
  const modules: BundleModule[] = [{ name: mainModule, type: 'esm', contents: main.contents }];
  const bundle = { mainModule, modules, hash: hashModules(mainModule, modules) };
  if (options.cacheDir) {
    const inputs = Object.keys(result.metafile.inputs);
    const entry: CacheEntry = {
      inputs,
      inputsKey: await inputsKey(service, inputs),
      mainModule,
      modules: modules.map((module) => ({ name: module.name, type: module.type, contents: Buffer.from(module.contents).toString('base64') })),
    };
    await mkdir(options.cacheDir, { recursive: true });
    await writeFile(join(options.cacheDir, `${service.name}.json`), JSON.stringify(entry));
  }
  return bundle;
}
