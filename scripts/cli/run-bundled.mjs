// @ts-check
/**
 * Runs a TypeScript entry point of the tools as one cached ES module, with no loader hooks:
 * `node scripts/cli/run-bundled.mjs scripts/dev/main.ts [args…]` (what `npm run dev` runs).
 *
 * Why not `node --import tsx`: tsx starts a loader thread, transforms (or reads from its cache)
 * every module one by one, and puts every CommonJS `require` through its hook — which scans a
 * package such as Miniflare (one 4 MB file) for ES syntax before node compiles it. Together that
 * was more than half of `npm run dev`'s start-up. Here esbuild compiles the entry and every
 * module it imports from the repository into `<entry folder>/.cache/<entry>.mjs` once (packages
 * are not bundled: they are required from where each source imports them), and each start only checks that the
 * sources are unchanged: a sha256 over every input file, recorded in `<entry>.json` beside it.
 * A changed, added or removed import changes its importer, so the check sees it.
 *
 * Written in JavaScript, not TypeScript, because it is what runs before any TypeScript can.
 * Each module's `import.meta.url` (and `dirname`, `filename`) stays its source file's, as under
 * tsx; stack traces point into the sources through the bundle's source map (see mapStackTraces).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as nodeModule from 'node:module';
import { SourceMap } from 'node:module';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Bumped whenever the build below changes, so older cached bundles are rebuilt. */
const BUILD_FORMAT = 3;

/**
 * @typedef {{ format: number; key: string; inputs: string[] }} Manifest
 * What `<entry>.json` records: the build format, the key of the inputs, and their absolute paths.
 */

/** The Node.js the bundle is compiled for: the one running it (a bundle for another major is rebuilt). */
const TARGET = `node${process.versions.node.split('.')[0]}`;

/** sha256 over the build format, the target and every input's path and contents; undefined when one is gone. */
function inputsKey(/** @type {string[]} */ inputs) {
  const hash = createHash('sha256').update(`${BUILD_FORMAT}\0${TARGET}`);
  for (const input of inputs) {
    let contents;
    try {
      contents = readFileSync(input);
    } catch {
      return undefined;
    }
    hash.update(`\0${input}\0`).update(contents);
  }
  return hash.digest('hex');
}

/** True when the cached bundle was built from the sources as they are now. */
function isFresh(/** @type {string} */ manifestPath) {
  /** @type {Manifest} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return false;
  }
  return manifest.format === BUILD_FORMAT && Array.isArray(manifest.inputs) && inputsKey(manifest.inputs) === manifest.key;
}

/** Writes through a temporary file and a rename: a concurrent start reads the old file or the new one, never half of one. */
function writeWhole(/** @type {string} */ path, /** @type {Uint8Array | string} */ contents) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/**
 * esbuild plugin: `import.meta.url`, `import.meta.dirname` and `import.meta.filename` in a source
 * become that source's own, so code that finds files or resolves packages next to itself behaves
 * as it does unbundled.
 * @type {import('esbuild').Plugin}
 */
const sourceLocations = {
  name: 'source-locations',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const values = { url: pathToFileURL(args.path).href, dirname: dirname(args.path), filename: args.path };
      const contents = text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_match, /** @type {keyof typeof values} */ key) => JSON.stringify(values[key]));
      return { contents, loader: 'ts' };
    });
  },
};

/** Namespace of the modules that stand for a package imported from the sources. */
const REQUIRED_PACKAGE = 'required-package';
/** Marks the plugin's own resolution of a package, which it must not intercept again. */
const RESOLVING = Symbol('resolving');

/**
 * esbuild plugin: a package the sources import (`zod`, `commander`, `esbuild`…), installed under
 * node_modules, is loaded with `require`, from the importing source's folder, instead of an ES
 * `import`. (A package it would require must have a CommonJS build or, on Node 20.19 and later,
 * be requirable as an ES module.) Node imports a CommonJS
 * package into an ES module only after scanning its whole source for export names (cjs-module-lexer:
 * esbuild's own 100 KB entry, semver, commander); `require` skips that scan, and a package with both
 * builds (zod) loads its CommonJS one in fewer, larger files. The sources see the same exports:
 * esbuild's interop gives a namespace import every export and a default import `module.exports`.
 * Node's own modules (`node:*`) stay ES imports.
 * @type {import('esbuild').Plugin}
 */
const requiredPackages = {
  name: 'required-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind === 'entry-point' || isAbsolute(args.path) || args.path.startsWith('node:') || args.namespace === REQUIRED_PACKAGE || args.pluginData === RESOLVING) return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: RESOLVING });
      // A package installed under node_modules is required; one whose files are the repository's
      // own sources (a workspace package, linked into node_modules) is compiled in like them.
      if (resolved.errors.length > 0 || resolved.external || !resolved.path.split(sep).includes('node_modules')) return undefined;
      return { path: JSON.stringify([args.resolveDir, args.path]), namespace: REQUIRED_PACKAGE };
    });
    build.onLoad({ filter: /.*/, namespace: REQUIRED_PACKAGE }, (args) => {
      const [from, specifier] = JSON.parse(args.path);
      return { contents: `module.exports = ${REQUIRE_FROM}(${JSON.stringify(join(from, 'package-importer.js'))}, ${JSON.stringify(specifier)});`, loader: 'js' };
    });
  },
};

/** The bundle's `require` from a given file: defined once at its top (see {@link requiredPackages}). */
const REQUIRE_FROM = '__requireFrom';
const REQUIRE_FROM_BANNER = `import { createRequire as __createRequire } from 'node:module';\nconst ${REQUIRE_FROM} = (from, specifier) => __createRequire(from)(specifier);`;

/** Every tsconfig.json from `dir` up to the root: esbuild reads compiler settings from them, so a change to one rebuilds. */
function tsconfigsAbove(/** @type {string} */ dir) {
  const found = [];
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, 'tsconfig.json'))) found.push(join(current, 'tsconfig.json'));
    if (dirname(current) === current) return found;
  }
}

/** Compiles `entry` and the repository modules it imports into `bundlePath`; records the inputs in `manifestPath`. */
async function build(/** @type {string} */ entry, /** @type {string} */ bundlePath, /** @type {string} */ manifestPath) {
  const esbuild = await import('esbuild');
  const workingDir = dirname(entry);
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: workingDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: TARGET,
    banner: { js: REQUIRE_FROM_BANNER },
    outfile: bundlePath,
    sourcemap: 'linked',
    write: false,
    metafile: true,
    logLevel: 'error',
    plugins: [sourceLocations, requiredPackages],
  });
  const sources = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith(`${REQUIRED_PACKAGE}:`));
  const inputs = [...sources.map((input) => resolve(workingDir, input)), ...tsconfigsAbove(workingDir)].sort();
  const key = inputsKey(inputs);
  if (key === undefined) throw new Error(`run-bundled: an input of ${entry} disappeared while it was compiled; run it again`);
  mkdirSync(dirname(bundlePath), { recursive: true });
  for (const file of result.outputFiles) writeWhole(file.path, file.contents);
  /** @type {Manifest} */
  const manifest = { format: BUILD_FORMAT, key, inputs };
  writeWhole(manifestPath, JSON.stringify(manifest));
}

/**
 * Stack traces name the sources, not the bundle: each frame in the bundle is looked up in its source
 * map (read on the first error that needs it). Not `process.setSourceMapsEnabled(true)`: that makes
 * node read and parse the source map of every package it loads from then on (Miniflare's is 6 MB),
 * at every start, for stack traces that are rarely printed.
 */
function mapStackTraces(/** @type {string} */ bundlePath) {
  const bundleUrl = pathToFileURL(bundlePath).href;
  /** @type {SourceMap | undefined} */
  let map;
  const sourceOf = (/** @type {number} */ line, /** @type {number} */ column) => {
    map ??= new SourceMap(JSON.parse(readFileSync(`${bundlePath}.map`, 'utf8')));
    const entry = map.findEntry(line - 1, column - 1);
    return 'originalSource' in entry && entry.originalSource ? `${resolve(dirname(bundlePath), entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}` : undefined;
  };
  Error.prepareStackTrace = (error, frames) => {
    const lines = frames.map((frame) => {
      const text = String(frame);
      const line = frame.getLineNumber();
      const column = frame.getColumnNumber();
      if (frame.getFileName() !== bundleUrl || line === null || column === null) return `    at ${text}`;
      const source = sourceOf(line, column);
      return `    at ${source ? text.replace(`${bundleUrl}:${line}:${column}`, source) : text}`;
    });
    return [Error.prototype.toString.call(error), ...lines].join('\n');
  };
}

/**
 * Keeps V8's compiled code of what a start loads in `dir`, so the next start skips compiling it:
 * the packages the bundle requires (Miniflare alone is one 4 MB file) are most of a start's
 * loading. Node 22.1 and later have this built in (`module.enableCompileCache`, ES modules too);
 * on Node 20 v8-compile-cache does the same for CommonJS, which is how the bundle loads its
 * packages (see {@link requiredPackages}). About 60 ms of `npm run dev`'s 700 on 2 cores.
 */
function enableCompileCache(/** @type {string} */ dir) {
  const builtIn = /** @type {{ enableCompileCache?: (dir: string) => unknown }} */ (/** @type {unknown} */ (nodeModule));
  if (typeof builtIn.enableCompileCache === 'function') {
    builtIn.enableCompileCache(dir);
    return;
  }
  // v8-compile-cache reads its folder from the environment once, when it is loaded (the processes
  // this one starts are not meant to see it), and names its files after the working directory
  // when the main module is an ES module: loaded from `dir`, every start shares one cache.
  const previous = { env: process.env.V8_COMPILE_CACHE_CACHE_DIR, cwd: process.cwd() };
  process.env.V8_COMPILE_CACHE_CACHE_DIR = dir;
  mkdirSync(dir, { recursive: true });
  process.chdir(dir);
  try {
    nodeModule.createRequire(import.meta.url)('v8-compile-cache');
  } finally {
    process.chdir(previous.cwd);
    if (previous.env === undefined) delete process.env.V8_COMPILE_CACHE_CACHE_DIR;
    else process.env.V8_COMPILE_CACHE_CACHE_DIR = previous.env;
  }
}

const [entryArgument, ...args] = process.argv.slice(2);
if (!entryArgument) {
  console.error('usage: node scripts/cli/run-bundled.mjs <entry.ts> [arguments…]');
  process.exit(1);
}
const entry = resolve(entryArgument);
const name = basename(entry).replace(/\.[cm]?ts$/, '');
const cacheDir = join(dirname(entry), '.cache');
const bundlePath = join(cacheDir, `${name}.mjs`);
const manifestPath = join(cacheDir, `${name}.json`);

if (!isFresh(manifestPath)) {
  try {
    await build(entry, bundlePath, manifestPath);
  } catch (error) {
    // esbuild has printed its errors (file, line, what it expected) already.
    if (!(error instanceof Error && 'errors' in error)) console.error(error);
    process.exit(1);
  }
}
try {
  enableCompileCache(join(cacheDir, 'v8'));
} catch (error) {
  // Only a speed-up: a folder that cannot be written (a read-only checkout, say) starts without it.
  process.stderr.write(`run-bundled: starting without V8's compile cache (${error instanceof Error ? error.message : String(error)})\n`);
}
// The entry sees the arguments as if node had run it directly.
process.argv = [process.argv[0] ?? process.execPath, entry, ...args];
mapStackTraces(bundlePath);
await import(pathToFileURL(bundlePath).href);
