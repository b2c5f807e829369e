#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js, from tsc) into dist/bundle/ with esbuild, which the bin
// runs: a command then loads a few files instead of some two hundred, which is most of its start-up
// time. Code a command imports on demand stays in chunks of its own, loaded only when needed. The
// library (dist/index.js) is tsc's output as it is.
//
// Files found through `new URL('...', import.meta.url)` must be found from dist/bundle/ too: a worker
// (`./name.js`) becomes an entry of the bundle under its own name, and a path that climbs out of dist
// (`../../templates/`) must land on the same place from dist/bundle/ as from where it was written;
// anything else stops the build here rather than failing at run time.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
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
await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  sourcemap: 'linked',
  logLevel: 'warning',
  // CommonJS packages inside an ES module bundle still call require for Node's own modules.
  banner: { js: "import { createRequire as __termpressRequire } from 'node:module'; const require = __termpressRequire(import.meta.url);" },
});
