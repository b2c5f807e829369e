// How the bin loads the CLI. scripts/bundle.mjs bundles it twice: as ES modules in chunks
// (dist/bundle/main.js and the chunks it imports on demand), and as one CommonJS file
// (dist/bundle/cli.cjs) with a V8 code cache made when it was built. A command loaded from the cache
// skips parsing and compiling the code it runs, and node's module loader (resolving, reading and
// linking some twenty files), which were a good part of every command's start. The ES modules are used
// where the one file does not pay: a bare --version (mapping in the whole CLI costs more than loading
// commander alone), --debug (stack traces through source maps), and a node other than the one the cache
// was made by, or started with V8 flags of its own, whose V8 could not use it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const BUNDLE = fileURLToPath(new URL('../dist/bundle/', import.meta.url));
/** The CLI as one CommonJS file. */
export const CLI_FILE = path.join(BUNDLE, 'cli.cjs');
/** The code cache of CLI_FILE for this node's V8 and processor. */
export const CODE_CACHE_FILE = path.join(BUNDLE, `cli-${process.arch}-v8-${process.versions.v8}.cache`);

/**
 * Compiles and runs CLI_FILE as node would a CommonJS module, from the code cache when one is given
 * (V8 checks that it was made from this file, by this V8 with these flags, and compiles afresh
 * otherwise). The packages it imports on demand (ES modules; see scripts/bundle.mjs) are imported
 * from here, which finds them where the bundle would.
 */
export function compileCli(cachedData) {
  // ASCII (see scripts/bundle.mjs), which latin1 reads fastest, into a one-byte string.
  const source = readFileSync(CLI_FILE, 'latin1');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __termpressImport) {${source}\n})`, {
    filename: CLI_FILE,
    cachedData,
  });
  const module = { exports: {} };
  const load = script.runInThisContext();
  load.call(module.exports, module.exports, createRequire(CLI_FILE), module, CLI_FILE, BUNDLE, (specifier) => import(specifier));
  return { script, cli: module.exports };
}

/**
 * Whether node was started with options that may be V8 flags (--max-old-space-size, say, also through
 * NODE_OPTIONS): V8 refuses a code cache made under other flags, and the one file compiled afresh
 * starts slower than the modules. Profiling and warnings options are not V8's.
 */
function v8FlagsGiven() {
  const words = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  // The words that are not options are the values of the ones before (--cpu-prof-dir dir).
  const options = words.filter((word) => word.startsWith('-'));
  return options.some((option) => !/^--(cpu-prof|heap-prof|no-warnings|trace-warnings|enable-source-maps)\b/.test(option));
}

/** The CLI's module, with its `main`, loaded the way that is quickest for this command line. */
export async function loadCli(argv) {
  const words = argv.slice(2);
  const bareVersion = words.length === 1 && (words[0] === '--version' || words[0] === '-V');
  if (!bareVersion && !words.includes('--debug') && !v8FlagsGiven()) {
    let cache = null;
    try {
      cache = readFileSync(CODE_CACHE_FILE);
    } catch {
      // No cache for this node: the ES modules start faster than the one file compiled afresh.
    }
    if (cache !== null) return compileCli(cache).cli;
  }
  return import('../dist/bundle/main.js');
}
