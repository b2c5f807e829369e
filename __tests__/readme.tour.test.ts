/**
 * The README is tested: every command of its tour (the shell blocks from "## A tour" up to "## Exit
 * codes") runs in order on a scratch blog, as a reader would type them, and each must exit 0. The
 * documentation cannot drift from the tool without this failing.
 *
 * Each block runs in one shell, so that a variable set in it is there for the lines after; the first
 * block starts in a scratch folder and the others in the blog it creates. `npx termpress` and
 * `termpress` are the built binary. Two commands do not end by themselves unattended: `moderate` waits
 * for keys and `serve` serves until stopped, so they run with --help, which proves they parse. The
 * WordPress exports the import lines name are files a reader brings; the test puts small ones there.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FAKE_EDITOR, editorSteps } from './fixtures/drafting/scripted.js';
import { BIN, REPO, Sandbox } from './helpers/cli.js';

const hasJq = spawnSync('jq', ['--version']).status === 0;
const maybe = hasJq ? it : it.skip;
if (!hasJq) console.warn('readme.tour: jq is not installed (Debian package jq); the README tour test is skipped.');

/** The files a reader brings to the tour, by the name the README gives them. */
const BROUGHT: Record<string, string> = {
  'wordpress-export.xml': path.join(REPO, '__tests__', 'fixtures', 'wxr', 'export-1.2.xml'),
  'broken-export.xml': path.join(REPO, '__tests__', 'fixtures', 'wxr', 'cdata-nested.xml'),
};

/** Commands that wait for a person or run until stopped: run with --help instead. */
const UNATTENDED = /^termpress (moderate|serve)\b/;

/** The tour's shell blocks, each a list of commands (comment lines and blank lines dropped, continued lines joined). */
function tourBlocks(readme: string): string[][] {
  const start = readme.indexOf('\n## A tour');
  const end = readme.indexOf('\n## Exit codes');
  if (start === -1 || end === -1) throw new Error('README.md has no "## A tour" ... "## Exit codes" section');
  const blocks = [...readme.slice(start, end).matchAll(/\n```sh\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
  return blocks.map((block) => {
    const commands: string[] = [];
    let pending = '';
    for (const line of block.split('\n')) {
      if (pending === '' && /^\s*(#|$)/.test(line)) continue;
      pending += line;
      if (pending.endsWith('\\')) {
        pending = `${pending.slice(0, -1)} `;
        continue;
      }
      commands.push(pending.replace(/\bnpx termpress\b/g, 'termpress'));
      pending = '';
    }
    return commands;
  });
}

describe('the README tour', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: '2026-11-27T10:00:00Z', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
  });
  afterEach(() => sb.cleanup());

  maybe(
    'runs as written: every command exits 0',
    () => {
      const blocks = tourBlocks(readFileSync(path.join(REPO, 'README.md'), 'utf8'));
      expect(blocks.length).toBeGreaterThanOrEqual(5);
      const bin = path.join(sb.root, 'bin');
      mkdirSync(bin);
      writeFileSync(path.join(bin, 'termpress'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
      chmodSync(path.join(bin, 'termpress'), 0o755);
      const env = {
        ...sb.env,
        PATH: `${bin}:${sb.env.PATH}`,
        EDITOR: `node ${FAKE_EDITOR}`,
        FAKE_EDITOR_STEPS: editorSteps(sb.root, [{ body: 'Written by the scripted editor.\n' }]),
      };
      const blog = path.join(sb.cwd, 'myblog');
      const results: Array<{ command: string; code: number; stderr: string }> = [];
      blocks.forEach((commands, index) => {
        if (existsSync(blog)) for (const [name, source] of Object.entries(BROUGHT)) copyFileSync(source, path.join(blog, name));
        const out = (i: number, what: string) => path.join(sb.root, `tour-${index}-${i}.${what}`);
        // Each command in braces (the same shell: cd and variables carry on), its stderr and exit code kept apart.
        const script = commands
          .map((command, i) => {
            const line = UNATTENDED.test(command) ? `${command.replace(/\s+#.*$/, '')} --help >/dev/null` : command;
            return `{ ${line}\n} 2> ${JSON.stringify(out(i, 'err'))}\necho $? > ${JSON.stringify(out(i, 'code'))}`;
          })
          .join('\n');
        spawnSync('sh', ['-c', script], { cwd: index === 0 ? sb.cwd : blog, env, stdio: 'ignore', timeout: 120_000 });
        commands.forEach((command, i) => {
          const code = existsSync(out(i, 'code')) ? Number(readFileSync(out(i, 'code'), 'utf8')) : -1;
          results.push({ command, code, stderr: existsSync(out(i, 'err')) ? readFileSync(out(i, 'err'), 'utf8') : '(did not run)' });
        });
      });
      // Every command ran, in order, and none failed: a failure shows the command and what it said.
      expect(results.length).toBe(blocks.flat().length);
      expect(results.filter((r) => r.code !== 0)).toEqual([]);
      // And it did what it says: posts written, a comment thread, a site built.
      expect(Number(sb.ok(['--blog', blog, 'post', 'list', '--format', 'count']))).toBeGreaterThanOrEqual(3);
      expect(sb.ok(['--blog', blog, 'comment', 'list', '--status', 'approved', '--format', 'count'])).not.toBe('0\n');
      expect(existsSync(path.join(blog, 'public', 'index.html'))).toBe(true);
      // Some sixty commands, each a process: far longer than one test usually takes.
    },
    300_000,
  );
});
