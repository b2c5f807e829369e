#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js, from tsc) into dist/bundle/ with esbuild, which the bin
// runs: a command then loads a few files instead of some two hundred, which is most of its start-up
// time. Code a command imports on demand stays in chunks of its own, loaded only when needed. The
// library (dist/index.js) is tsc's output as it is.
//
// The CLI is also bundled as one CommonJS file, cli.cjs, with a V8 code cache made by running it
// (scripts/code-cache.mjs): the bin runs that when the cache fits the node running it (see
// bin/load-cli.js), and the ES modules otherwise.
//
// Files found through `new URL('...', import.meta.url)` must be found from dist/bundle/ too: a worker
// (`./name.js`) becomes an entry of the bundle under its own name, and a path that climbs out of dist
// (`../../templates/`) must land on the same place from dist/bundle/ as from where it was written;
// anything else stops the build here rather than failing at run time.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const outdir = path.join(dist, 'bundle');

// Packages that find files of their own at run time (workers, data files) by __dirname, which a bundle
// moves: they are loaded from node_modules as they are. Only long-running commands use them.
const EXTERNAL = ['fastify', '@fastify/*', 'nodemailer', 'conf', 'playwright-core'];

function compiledFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return file === outdir ? [] : compiledFiles(file);
    return entry.name.endsWith('.js') ? [file] : [];
  });
}

const entryPoints = { main: path.join(dist, 'cli', 'main.js') };
const problems = [];
for (const file of compiledFiles(dist)) {
  for (const [, target] of readFileSync(file, 'utf8').matchAll(/new URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)) {
    const where = `${path.relative(root, file)}: new URL('${target}', import.meta.url)`;
    if (/^\.\/[\w-]+\.js$/.test(target)) {
      const name = target.slice(2, -3);
      const source = path.join(path.dirname(file), target);
      if (entryPoints[name] !== undefined && entryPoints[name] !== source)
        problems.push(`${where}: another file is bundled as ${name}.js already`);
      entryPoints[name] = source;
    } else if (path.resolve(path.dirname(file), target) !== path.resolve(outdir, target)) {
      problems.push(`${where} would not find its file from dist/bundle/`);
    }
  }
}
if (problems.length) {
  console.error(`Cannot bundle the CLI:\n${problems.join('\n')}`);
  process.exit(1);
}

rmSync(outdir, { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node20', external: EXTERNAL, sourcemap: 'linked', logLevel: 'warning' };
await build({
  ...common,
  entryPoints,
  outdir,
  splitting: true,
  format: 'esm',
  // CommonJS packages inside an ES module bundle still call require for Node's own modules.
  banner: { js: "import { createRequire as __termpressRequire } from 'node:module'; const require = __termpressRequire(import.meta.url);" },
});

// The one file: import.meta.url is its own address, which is in the same folder as the modules', so
// that the files found from it (the workers, the templates) are the same. It runs without source maps
// (--debug runs the modules), so its whitespace and comments are left out: less to read at every start. The packages left out of the bundle are ES modules that it imports with
// the function the bin gives it (a script compiled by node:vm has no import() of its own).
const cli = path.join(outdir, 'cli.cjs');
await build({
  ...common,
  entryPoints: [entryPoints.main],
  outfile: cli,
  format: 'cjs',
  sourcemap: false,
  minifyWhitespace: true,
  define: { 'import.meta.url': '__termpressModuleUrl' },
  banner: { js: "const __termpressModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// Read as latin1 (bin/load-cli.js), which keeps it a one-byte string: esbuild writes strings in ASCII,
// and what else is not (comments, regular expressions) means the same with \u escapes.
const cliText = readFileSync(cli, 'utf8')
  .replace(/\bimport\((?=")/g, '__termpressImport(')
  .replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
if (/\bimport\(/.test(cliText)) {
  console.error(`Cannot bundle the CLI: ${path.relative(root, cli)} has an import() of something other than a package's name.`);
  process.exit(1);
}
writeFileSync(cli, cliText);
const cache = spawnSync(process.execPath, [path.join(root, 'scripts', 'code-cache.mjs')], {
  stdio: ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
});
if (cache.status !== 0) {
  console.error(
    `Cannot make the code cache of ${path.relative(root, cli)} (scripts/code-cache.mjs exited ${cache.status ?? cache.signal}):\n${cache.stderr}`,
  );
  process.exit(1);
}
