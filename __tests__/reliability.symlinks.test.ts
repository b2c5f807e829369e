import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { REPO, Sandbox } from './helpers/cli.js';
import type { RunResult } from './helpers/cli.js';
import { snapshot } from './helpers/snapshot.js';

// A blog comes from `git clone`, and git stores symbolic links: a hostile blog can point any of its
// files or folders at the user's own (~/.bashrc, ~/.ssh). Each scenario below commits one kind of link
// into a copy of a blog, with a sentinel folder outside the blog as the link's target, then runs the
// everyday commands on it. Whatever they answer, nothing outside the blog may be written, renamed into
// or removed, and nothing read from outside may reach the posts, the site or the terminal.

const SECRET = 'OUTSIDE-SECRET-7f3a';
/** A WordPress export kept with the tests: the import is exercised, not skipped for a missing file. */
const WXR = path.join(REPO, '__tests__', 'fixtures', 'wxr', 'export-1.2.xml');
const NOW = '2026-11-27T10:00:00Z';

let sb: Sandbox;
let base: string;
let published: string;
let draft: string;

beforeAll(() => {
  sb = new Sandbox({ TERMPRESS_NOW: NOW });
  base = path.join(sb.root, 'base');
  sb.ok(['init', base, '--title', 'Cloned', '--url', 'https://blog.example.com/']);
  const env = { TERMPRESS_BLOG: base };
  published = sb
    .ok(['post', 'create', '--title', 'Published', '--body', 'Public words.', '--status', 'published', '--porcelain'], { env })
    .trim();
  draft = sb.ok(['post', 'create', '--title', 'Draft', '--body', 'Draft words.', '--porcelain'], { env }).trim();
  sb.ok(['comment', 'add', published, '--author', 'Ann', '--email', 'ann@example.com', '--body', 'First!', '--approve'], { env });
  sb.ok(['build'], { env });
});
afterAll(() => sb.cleanup());

/** A fresh copy of the base blog and an empty sentinel folder beside it. */
function clone(name: string): { blog: string; outside: string } {
  const root = path.join(sb.root, name);
  const blog = path.join(root, 'blog');
  const outside = path.join(root, 'outside');
  cpSync(base, blog, { recursive: true, verbatimSymlinks: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, 'untouched.txt'), `${SECRET}: the user's own file\n`);
  return { blog, outside };
}

/** The regular files under a folder (links not followed) whose content holds the secret. */
function leaks(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const file = path.join(current, name);
      const stat = lstatSync(file);
      if (stat.isDirectory()) walk(file);
      else if (stat.isFile() && readFileSync(file, 'utf8').includes(SECRET)) found.push(path.relative(dir, file));
    }
  };
  walk(dir);
  return found;
}

/** Moves a blog's file or folder out to the sentinel folder and leaves a link to it in its place. */
function linkOut(blog: string, rel: string, outside: string, as: string): string {
  const target = path.join(outside, as);
  renameSync(path.join(blog, rel), target);
  symlinkSync(target, path.join(blog, rel));
  return target;
}

/** Replaces a blog's file (or nothing) by a link to a new sentinel file holding the secret. */
function linkToSecret(blog: string, rel: string, outside: string, as: string, content = `${SECRET}\n`): void {
  writeFileSync(path.join(outside, as), content);
  rmSync(path.join(blog, rel), { recursive: true, force: true });
  mkdirSync(path.dirname(path.join(blog, rel)), { recursive: true });
  symlinkSync(path.join(outside, as), path.join(blog, rel));
}

/** A JSON file with the secret in its texts, so a read of it would show. */
function withSecret(file: string): void {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if ('title' in data) data.title = `${SECRET} title`;
  if ('body' in data) data.body = `${SECRET} body`;
  writeFileSync(file, JSON.stringify(data, null, 2));
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** The everyday commands, run in the blog's folder with the blog named by TERMPRESS_BLOG. */
function everyday(): string[][] {
  return [
    ['post', 'list'],
    ['post', 'show', published],
    ['post', 'create', '--title', 'New', '--body', 'New words.'],
    ['post', 'create', '--title', 'Templated', '--template', 'post'],
    ['post', 'edit', published, '--title', 'Edited'],
    ['comment', 'add', published, '--author', 'Bob', '--email', 'bob@example.com', '--body', 'Hello', '--approve'],
    ['build'],
    ['build', '--out', 'preview', '--drafts'],
    ['doctor'],
    ['doctor', '--fix'],
    ['import', WXR],
    ['config', 'set', 'title', 'Renamed'],
  ];
}

interface Scenario {
  /** What is committed as a link. */
  name: string;
  arrange(blog: string, outside: string): void;
  /** The command that must meet the link first ("<draft>" stands for the draft's id), and the path its error names. */
  refused?: { args: string[]; names: RegExp; kind: 'file' | 'folder' };
}

const SCENARIOS: Scenario[] = [
  {
    name: '.termpress/index.json',
    arrange: (blog, outside) =>
      linkToSecret(blog, '.termpress/index.json', outside, 'index.json', JSON.stringify({ version: 1, posts: {}, note: SECRET })),
    refused: { args: ['post', 'list'], names: /\.termpress\/index\.json/, kind: 'file' },
  },
  {
    name: 'a post file',
    arrange: (blog, outside) => withSecret(linkOut(blog, `posts/${published}.json`, outside, 'post.json')),
    refused: { args: ['post', 'list'], names: /posts\/[a-z0-9]{8}\.json/, kind: 'file' },
  },
  {
    name: 'a post file pointing at a system file',
    arrange: (blog, outside) => linkToSecret(blog, `posts/${draft}.json`, outside, 'passwd', `root:x:0:0:${SECRET}:/root:/bin/bash\n`),
    refused: { args: ['post', 'show', '<draft>'], names: /posts\/[a-z0-9]{8}\.json/, kind: 'file' },
  },
  {
    name: 'termpress.json',
    arrange: (blog, outside) => withSecret(linkOut(blog, 'termpress.json', outside, 'termpress.json')),
    refused: { args: ['post', 'list'], names: /termpress\.json/, kind: 'file' },
  },
  {
    name: 'the .termpress folder',
    arrange: (blog, outside) => {
      linkOut(blog, '.termpress', outside, 'private');
    },
    refused: { args: ['post', 'list'], names: /\.termpress is/, kind: 'folder' },
  },
  {
    name: 'the posts folder',
    arrange: (blog, outside) => {
      const posts = linkOut(blog, 'posts', outside, 'posts');
      for (const name of readdirSync(posts)) withSecret(path.join(posts, name));
    },
    refused: { args: ['post', 'list'], names: /posts is/, kind: 'folder' },
  },
  {
    name: 'the recovery and backups folders',
    arrange: (blog, outside) => {
      for (const name of ['recovery', 'backups']) {
        mkdirSync(path.join(outside, name));
        writeFileSync(path.join(outside, name, 'kept.txt'), `${SECRET}\n`);
        symlinkSync(path.join(outside, name), path.join(blog, '.termpress', name));
      }
      // Something for doctor --fix to repair, so that it would back up first.
      writeFileSync(path.join(blog, '.termpress', 'index.json'), '{}');
    },
  },
  {
    name: 'the lock',
    arrange: (blog, outside) => linkToSecret(blog, '.termpress/lock', outside, 'lock', JSON.stringify({ note: SECRET })),
    refused: { args: ['post', 'create', '--title', 'Locked out'], names: /\.termpress\/lock/, kind: 'file' },
  },
  {
    name: 'files and folders in public/ and preview/, with poisoned manifests',
    arrange: (blog, outside) => {
      const pub = path.join(blog, 'public');
      linkToSecret(blog, 'public/index.html', outside, 'bashrc');
      linkToSecret(blog, 'public/feed.xml', outside, 'feed.xml');
      // The year's folder, with the pages the last build wrote there: rebuilding them must not write there.
      const year = readdirSync(pub).find((name) => /^\d{4}$/.test(name))!;
      linkOut(blog, `public/${year}`, outside, 'year');
      // Files the manifest says the last build wrote, reached through a link, by .., or by an absolute path.
      const victim = `${SECRET} victim\n`;
      mkdirSync(path.join(outside, 'sub'));
      for (const name of ['sub/victim.txt', 'dotdot.txt', 'absolute.txt', 'linked.txt']) writeFileSync(path.join(outside, name), victim);
      symlinkSync(path.join(outside, 'sub'), path.join(pub, 'sub'));
      symlinkSync(path.join(outside, 'linked.txt'), path.join(pub, 'linked.txt'));
      const entry = { key: 'x', hash: sha(victim), size: Buffer.byteLength(victim) };
      const poison = (dir: string) => {
        const file = path.join(dir, '.termpress-build.json');
        const manifest = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { version: 1, files: {} };
        Object.assign(manifest.files, {
          'sub/victim.txt': entry,
          'linked.txt': entry,
          [path.relative(dir, path.join(outside, 'dotdot.txt'))]: entry,
          [path.join(outside, 'absolute.txt')]: entry,
          [`sub/../../${path.relative(path.dirname(dir), path.join(outside, 'dotdot.txt'))}`]: entry,
        });
        writeFileSync(file, JSON.stringify(manifest));
      };
      poison(pub);
      const preview = path.join(blog, 'preview');
      mkdirSync(preview);
      symlinkSync(path.join(outside, 'sub'), path.join(preview, 'sub'));
      linkToSecret(blog, 'preview/index.html', outside, 'preview.html');
      poison(preview);
    },
  },
  {
    name: 'the public folder itself',
    arrange: (blog, outside) => {
      linkOut(blog, 'public', outside, 'site');
    },
    refused: { args: ['build'], names: /public is/, kind: 'folder' },
  },
  {
    name: 'a post template',
    arrange: (blog, outside) => linkToSecret(blog, 'templates/post.md', outside, 'post.md', `---\ntitle: ${SECRET}\n---\n${SECRET} body\n`),
    refused: { args: ['post', 'create', '--title', 'T', '--template', 'post'], names: /templates\/post\.md/, kind: 'file' },
  },
  {
    name: 'a theme file',
    arrange: (blog, outside) => linkToSecret(blog, 'templates/theme/assets/style.css', outside, 'id_rsa', `-----BEGIN ${SECRET}-----\n`),
    refused: { args: ['build'], names: /templates\/theme\/assets\/style\.css/, kind: 'file' },
  },
  {
    name: 'the theme folder',
    arrange: (blog, outside) => {
      mkdirSync(path.join(outside, 'theme'));
      writeFileSync(path.join(outside, 'theme', 'id_rsa'), `-----BEGIN ${SECRET}-----\n`);
      mkdirSync(path.join(blog, 'templates'), { recursive: true });
      symlinkSync(path.join(outside, 'theme'), path.join(blog, 'templates', 'theme'));
    },
    refused: { args: ['build'], names: /templates\/theme is/, kind: 'folder' },
  },
  {
    name: 'the templates folder',
    arrange: (blog, outside) => {
      mkdirSync(path.join(outside, 'templates', 'theme'), { recursive: true });
      writeFileSync(path.join(outside, 'templates', 'post.md'), `${SECRET}\n`);
      writeFileSync(path.join(outside, 'templates', 'theme', 'id_rsa'), `${SECRET}\n`);
      symlinkSync(path.join(outside, 'templates'), path.join(blog, 'templates'));
    },
    refused: { args: ['build'], names: /templates is/, kind: 'folder' },
  },
];

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('a blog with a committed link: %s', (_name, scenario) => {
  let blog: string;
  let outside: string;
  let run: (args: string[]) => RunResult;

  beforeAll(() => {
    ({ blog, outside } = clone(scenario.name.replace(/\W+/g, '-')));
    scenario.arrange(blog, outside);
    run = (args) => sb.run(args, { env: { TERMPRESS_BLOG: blog }, cwd: blog });
  });

  if (scenario.refused) {
    const { args, names, kind } = scenario.refused;
    it(`${args.join(' ')} exits 5 with one line naming the link and how to fix it`, () => {
      const result = run(args.map((arg) => (arg === '<draft>' ? draft : arg)));
      expect(result.code).toBe(5);
      expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(result.stderr).toMatch(names);
      expect(result.stderr).toContain(
        `is a symbolic link, which termpress does not follow inside the blog: replace it with a real ${kind}`,
      );
    });
  }

  it('the everyday commands write, rename into and remove nothing outside the blog, and read nothing from there', () => {
    const before = snapshot(outside);
    const outputs: string[] = [];
    for (const args of everyday()) {
      const result = run(args);
      outputs.push(result.stdout, result.stderr);
      // Whatever the command answers, it is an answer of the contract, never a crash.
      expect({ args, code: [0, 3, 4, 5].includes(result.code) ? 'contract' : result.code, stderr: result.stderr }).toMatchObject({
        code: 'contract',
      });
    }
    expect(snapshot(outside)).toEqual(before);
    expect(leaks(blog)).toEqual([]);
    expect(outputs.join('\n')).not.toContain(SECRET);
  });
});

describe('links termpress may meet', () => {
  it('a blog reached through a link (a ~/blog link, /tmp -> /private/tmp) works as any other', () => {
    const { blog } = clone('reached-through-a-link');
    const link = path.join(sb.root, 'reached-through-a-link', 'blog-link');
    symlinkSync(blog, link);
    const env = { TERMPRESS_BLOG: link };
    const id = sb.ok(['post', 'create', '--title', 'Through the link', '--porcelain'], { env }).trim();
    sb.ok(['post', 'edit', id, '--body', 'Edited through the link.'], { env });
    sb.ok(['comment', 'add', published, '--author', 'Cy', '--email', 'cy@example.com', '--body', 'Hi', '--approve'], { env });
    expect(sb.ok(['post', 'list', '--format', 'ids'], { env }).split('\n').filter(Boolean)).toHaveLength(3);
    sb.ok(['build'], { env });
    sb.ok(['doctor', '--fix'], { env });
    expect(readFileSync(path.join(blog, 'posts', `${id}.json`), 'utf8')).toContain('Edited through the link.');
    expect(lstatSync(path.join(blog, 'public', 'index.html')).isFile()).toBe(true);
  });

  it('build replaces a link in the output folder by the page, and leaves its target alone', () => {
    const { blog, outside } = clone('replaced-by-the-page');
    linkToSecret(blog, 'public/index.html', outside, 'bashrc');
    const result = sb.run(['build', '--clean'], { env: { TERMPRESS_BLOG: blog } });
    expect(result.code).toBe(0);
    expect(lstatSync(path.join(blog, 'public', 'index.html')).isFile()).toBe(true);
    expect(readFileSync(path.join(blog, 'public', 'index.html'), 'utf8')).toContain('<html');
    expect(readFileSync(path.join(outside, 'bashrc'), 'utf8')).toBe(`${SECRET}\n`);
  });

  it('doctor names every link inside the blog and says how to fix it; --fix then repairs nothing', () => {
    const { blog, outside } = clone('doctor-names-links');
    linkToSecret(blog, `posts/${draft}.json`, outside, 'passwd');
    linkToSecret(blog, 'templates/theme/assets/style.css', outside, 'id_rsa');
    linkToSecret(blog, '.termpress/index.json', outside, 'index.json');
    const result = sb.run(['doctor'], { env: { TERMPRESS_BLOG: blog } });
    expect(result.code).toBe(5);
    for (const file of [`posts/${draft}.json`, 'templates/theme/assets/style.css', '.termpress/index.json']) {
      expect(result.stdout).toContain(
        `problem: ${path.join(blog, file)}: is a symbolic link, which termpress does not follow inside the blog: replace it with a real file (or remove it).`,
      );
    }
    const before = snapshot(blog);
    const fix = sb.run(['doctor', '--fix'], { env: { TERMPRESS_BLOG: blog } });
    expect(fix.code).toBe(5);
    expect(fix.stdout).toContain('doctor --fix repairs nothing while symbolic links are inside the blog; replace them first');
    expect(snapshot(blog)).toEqual(before);
  });
});
