/**
 * A hostile clone: one blog folder with every trick at once, as `git clone` of a stranger's blog would
 * bring it. Committed links into a sentinel folder outside the blog, templates whose front matter and
 * theme are JavaScript, build manifests naming files outside, post files and a backup with ids that climb
 * out, escape sequences in titles, settings, categories and names. The README's everyday commands run on
 * it twice: as cloned, then after the user removed the links `doctor` names. Whatever each command
 * answers: no code ran (every payload would write a marker into the sentinel), the sentinel's files are
 * byte for byte the same, no output holds a control character, no stack trace is shown, and every exit
 * code is one of the contract's.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { wxrDocument, wxrItem } from './fixtures/wxr/build-wxr.js';
import { REPO, Sandbox } from './helpers/cli.js';
import type { RunResult } from './helpers/cli.js';
import { snapshot } from './helpers/snapshot.js';

const NOW = '2026-11-27T10:00:00Z';
/** What a terminal acts on: C0 controls but tab and newline, DEL, C1 controls, bidi embeddings, overrides and isolates. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** A line of a stack trace. */
const STACK = /\n\s+at .+[:(]\d+:\d+|\bat (file|node):\/\//;
/** The exit codes of the contract (README, "Exit codes"), but 1: an internal error is a bug here. */
const CONTRACT = [0, 2, 3, 4, 5];
/** Escape sequences in their 7-bit and 8-bit forms, bare controls and bidi overrides, around readable text. */
const hostile = (text: string) =>
  `\u001b]52;c;ZXZpbA==\u0007${text}\u001b[2J\u001b[H\u009b31m\u202e\u2066\u0085\u009d0;owned\u009c\u001b]0;pwned\u001b\\`;

let sb: Sandbox;
let blog: string;
let sentinel: string;
let marks: string;
let before: Record<string, string>;
const outputs: Array<{ args: string[]; result: RunResult }> = [];

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A JavaScript expression that writes a marker into the sentinel's marks folder when evaluated. */
const payload = (name: string) => `process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(path.join(marks, name))}, 'ran')`;

function editJson(file: string, edit: (data: Record<string, unknown>) => void): void {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(data);
  writeFileSync(file, JSON.stringify(data, null, 2));
}

/** Replaces a path of the blog by a link into the sentinel folder: to a file with this content, to what is there, or to a new folder. */
function linkOut(rel: string, target: string, content?: string): void {
  const at = path.join(blog, rel);
  const to = path.join(sentinel, target);
  if (content !== undefined) writeFileSync(to, content);
  else if (!existsSync(to)) mkdirSync(to, { recursive: true });
  rmSync(at, { recursive: true, force: true });
  mkdirSync(path.dirname(at), { recursive: true });
  symlinkSync(to, at);
}

/** The poisoned manifest of a build output folder: files outside it, by link, by .. and by absolute path. */
function poisonManifest(dir: string): void {
  const victim = readFileSync(path.join(sentinel, 'victim.txt'), 'utf8');
  const entry = { key: 'x', hash: sha(victim), size: Buffer.byteLength(victim) };
  const file = path.join(dir, '.termpress-build.json');
  const manifest = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { version: 1, files: {} };
  Object.assign(manifest.files, {
    'victims/victim.txt': entry,
    [path.relative(dir, path.join(sentinel, 'victim.txt'))]: entry,
    [path.join(sentinel, 'victim.txt')]: entry,
    [`assets/../../${path.relative(path.dirname(dir), path.join(sentinel, 'victim.txt'))}`]: entry,
    '..\\..\\victim.txt': entry,
  });
  writeFileSync(file, JSON.stringify(manifest));
  symlinkSync(sentinel, path.join(dir, 'victims'));
}

beforeAll(() => {
  sb = new Sandbox({ TERMPRESS_NOW: NOW });
  sentinel = path.join(sb.root, 'sentinel');
  marks = path.join(sentinel, 'marks');
  mkdirSync(marks, { recursive: true });
  writeFileSync(path.join(sentinel, 'bashrc'), 'export PATH=/usr/bin\n');
  writeFileSync(path.join(sentinel, 'victim.txt'), "the user's own file\n");
  writeFileSync(path.join(sentinel, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\n');

  // The blog as its author made it, with termpress itself.
  blog = path.join(sb.cwd, 'myblog');
  sb.ok(['init', blog, '--title', 'Field notes', '--url', 'https://notes.example.com/', '--timezone', 'Europe/Paris', '--templates']);
  sb.env.TERMPRESS_BLOG = blog;
  const hello = sb
    .ok([
      'post',
      'create',
      '--title',
      'Hello, world',
      '--category',
      'News',
      '--tag',
      'intro',
      '--body',
      'Hi.',
      '--status',
      'published',
      '--porcelain',
    ])
    .trim();
  sb.ok(['post', 'create', '--title', 'A draft', '--body', 'Later.']);
  sb.ok(['comment', 'add', hello, '--author', 'Grace', '--email', 'grace@example.com', '--body', 'Nice post', '--approve']);
  sb.ok(['build']);
  sb.ok(['build', '--drafts', '--out', path.join(blog, 'preview')]);

  // What the stranger committed on top.
  editJson(path.join(blog, 'termpress.json'), (s) => {
    s.title = hostile('Field notes');
    s.description = hostile('About');
    s.author = hostile('Mallory');
  });
  editJson(path.join(blog, 'posts', `${hello}.json`), (p) => {
    p.title = hostile('Hello, world');
    p.categories = [hostile('News')];
    p.tags = [hostile('intro')];
    p.author = hostile('Mallory');
    (p.comments as Array<Record<string, unknown>>)[0]!.author = hostile('Grace');
  });
  // A post file named by an id whose own id climbs out of the blog.
  const climbing = JSON.parse(readFileSync(path.join(blog, 'posts', `${hello}.json`), 'utf8'));
  writeFileSync(
    path.join(blog, 'posts', 'hhhh2222.json'),
    JSON.stringify({ ...climbing, id: '../../../sentinel/pwned', slug: 'climbing' }, null, 2),
  );
  // Post scaffolds and a theme that are JavaScript.
  writeFileSync(
    path.join(blog, 'templates', 'post.md'),
    `---js\n(function () { ${payload('post-template')}; return { tags: ['x'] }; })()\n---\nBody\n`,
  );
  writeFileSync(
    path.join(blog, 'templates', 'link.md'),
    `--- javascript\n(function () { ${payload('link-template')}; return {}; })()\n---\n`,
  );
  mkdirSync(path.join(blog, 'templates', 'theme', 'assets'), { recursive: true });
  writeFileSync(
    path.join(blog, 'templates', 'theme', '404.eta'),
    `${readFileSync(path.join(REPO, 'templates', 'theme', '404.eta'), 'utf8')}<% ${payload('theme')} %>\n`,
  );
  // Links into the sentinel where the blog reads and writes.
  linkOut('templates/theme/assets/style.css', 'id_rsa');
  linkOut('public/index.html', 'bashrc');
  const year = readdirSync(path.join(blog, 'public')).find((name) => /^\d{4}$/.test(name))!;
  linkOut(`public/${year}`, 'year');
  linkOut('preview/index.html', 'preview.html', '<p>preview</p>\n');
  linkOut('.termpress/recovery', 'recovery');
  linkOut('.termpress/backups', 'backups');
  linkOut('.termpress/index.json', 'index.json', JSON.stringify({ version: 1, posts: {} }));
  linkOut('posts/gggg3333.json', 'passwd', 'root:x:0:0:root:/root:/bin/bash\n');
  poisonManifest(path.join(blog, 'public'));
  poisonManifest(path.join(blog, 'preview'));

  // What arrives from elsewhere: a draft, a backup and a WordPress export.
  writeFileSync(path.join(sb.cwd, 'notes.md'), `Notes ${hostile('body')}\n`);
  writeFileSync(
    path.join(sb.cwd, 'draft.md'),
    `---JavaScript\n(function () { ${payload('draft')}; return { title: 'Ran' }; })()\n---\nBody\n`,
  );
  const backupPost = { ...climbing, id: '../../sentinel/backup', slug: 'backup', comments: [] };
  writeFileSync(path.join(sb.cwd, 'backup.json'), JSON.stringify({ format: 'termpress', schemaVersion: 1, posts: [backupPost] }));
  writeFileSync(
    path.join(sb.cwd, 'wordpress-export.xml'),
    wxrDocument([
      wxrItem({
        id: 7,
        title: '&#27;]52;c;ZXZpbA==&#7;Imported&#x9b;31m\u202eevil',
        name: '../../../sentinel/wxr',
        body: `<script>${payload('wxr')}</script>`,
        terms: [
          ['category', '&#27;[2JCat', 'cat'],
          ['post_tag', '\u202eTag', 'tag'],
        ],
        comments: [{ id: 71, author: '&#27;]0;pwned&#7;Reader', body: '=HYPERLINK("http://evil.example/")' }],
      }),
    ]),
  );

  before = snapshot(sentinel);
});
afterAll(() => sb.cleanup());

/** The README's tour and everyday commands, run inside the blog; files from elsewhere are in the sandbox's working folder. */
function everyday(): string[][] {
  const from = (name: string) => path.join(sb.cwd, name);
  return [
    ['config', '--global', 'set', 'author.name', 'Ada Lovelace'],
    ['post', 'create', '--title', 'Hello again', '--category', 'News', '--tag', 'intro,meta', '--body-file', from('notes.md')],
    ['post', 'create', '--from', from('draft.md')],
    ['post', 'create', '--title', 'Piped', '--body-file', '-', '--porcelain'],
    ['post', 'create', '--title', 'Linked', '--template', 'link'],
    ['post', 'list'],
    ['post', 'list', '--status', 'draft,pending', '--category', 'news', '--since', 'last monday'],
    ['post', 'show', 'hello-world'],
    ['post', 'publish', 'hello-world'],
    ['post', 'publish', 'a-draft', '--at', 'tomorrow 9am'],
    ['post', 'unpublish', 'hello-world'],
    ['post', 'trash', 'hello-world'],
    ['post', 'restore', 'hello-world'],
    ['post', 'edit', 'hello-world', '--title', 'Hello, World', '--add-tag', 'greetings', '--if-revision', '5'],
    ['post', 'publish', '--due'],
    ['post', 'list', '--status', 'draft', '--json'],
    ['post', 'list', '--format', 'count', '--status', 'scheduled'],
    ['post', 'list', '--format', 'csv'],
    ['config', 'list'],
    ['config', 'set', 'timezone', 'America/New_York'],
    ['config', 'set', 'moderation.holdWords', 'casino, pills'],
    ['comment', 'add', 'hello-world', '--author', 'Grace', '--email', 'grace@example.com', '--body', 'Nice post'],
    ['comment', 'list', '--status', 'pending', '--format', 'json'],
    ['comment', 'list', '--status', 'all', '--format', 'csv'],
    ['moderate'],
    ['comment', 'spam', '--all', '--email', 'bot@example.com', '-y'],
    ['comment', 'delete', '--all', '--status', 'spam', '-y'],
    ['build'],
    ['build', '--drafts', '--out', 'preview'],
    ['build', '--clean'],
    ['serve', '--port', '0'],
    ['import', from('wordpress-export.xml'), '--dry-run'],
    ['import', from('wordpress-export.xml')],
    ['import', from('backup.json')],
    ['export', '--format', 'wxr', '--out', 'blog.xml'],
    ['export', '--format', 'json', '--out', 'backup-out.json'],
    ['export', '--format', 'markdown', '--out', 'md', '--status', 'published'],
    ['doctor'],
    ['doctor', '--fix'],
  ];
}

function runAll(phase: string): void {
  for (const args of everyday()) {
    const result = sb.run(args, { input: args.includes('-') ? `Body from a pipe ${hostile('piped')}\n` : '', cwd: blog });
    outputs.push({ args: [phase, ...args], result });
  }
}

/** What is wrong with one command's answer, or null. */
function fault({ args, result }: { args: string[]; result: RunResult }): string | null {
  const text = `${result.stdout}\n${result.stderr}`;
  const control = UNSAFE.exec(text);
  if (control)
    return `${args.join(' ')}: U+${control[0].codePointAt(0)!.toString(16)} in ${JSON.stringify(text.slice(Math.max(0, control.index - 30), control.index + 10))}`;
  if (STACK.test(result.stderr) || STACK.test(result.stdout)) return `${args.join(' ')}: a stack trace: ${result.stderr.slice(0, 300)}`;
  if (!CONTRACT.includes(result.code)) return `${args.join(' ')}: exit ${result.code}: ${result.stderr.slice(0, 300)}`;
  return null;
}

describe('a hostile clone, as cloned', () => {
  beforeAll(() => runAll('as cloned'));

  it('ran no code and changed nothing outside the blog', () => {
    expect(readdirSync(marks)).toEqual([]);
    expect(snapshot(sentinel)).toEqual(before);
  });

  it('every answer is clean: no control characters, no stack traces, exit codes of the contract', () => {
    expect(outputs.map(fault).filter(Boolean)).toEqual([]);
  });

  it('doctor names every link and the post whose id climbs out', () => {
    const doctor = outputs.find(({ args }) => args.join(' ') === 'as cloned doctor')!.result;
    expect(doctor.code).toBe(5);
    for (const rel of [
      'posts/gggg3333.json',
      '.termpress/index.json',
      '.termpress/recovery',
      '.termpress/backups',
      'templates/theme/assets/style.css',
    ]) {
      expect(doctor.stdout).toContain(`problem: ${rel}: is a symbolic link, which termpress does not follow inside the blog`);
    }
    expect(doctor.stdout).toContain('problem: posts/hhhh2222.json: is not a valid post: field "id"');
  });
});

describe('the same clone after the user removed the links doctor named', () => {
  beforeAll(() => {
    outputs.length = 0;
    for (const rel of [
      'posts/gggg3333.json',
      '.termpress/index.json',
      '.termpress/recovery',
      '.termpress/backups',
      'templates/theme/assets/style.css',
    ]) {
      rmSync(path.join(blog, rel));
    }
    rmSync(path.join(blog, 'posts', 'hhhh2222.json'));
    runAll('links removed');
  });

  it('ran no code and changed nothing outside the blog', () => {
    expect(readdirSync(marks)).toEqual([]);
    expect(snapshot(sentinel)).toEqual(before);
  });

  it('every answer is clean: no control characters, no stack traces, exit codes of the contract', () => {
    expect(outputs.map(fault).filter(Boolean)).toEqual([]);
  });

  it('the everyday commands work again, and what ran code is refused by name', () => {
    const code = (command: string) => outputs.find(({ args }) => args.slice(1).join(' ').replace(`${sb.cwd}/`, '') === command)?.result;
    for (const command of ['post list', 'post show hello-world', 'config list', 'post list --format csv', 'import wordpress-export.xml']) {
      expect({ command, code: code(command)?.code }).toEqual({ command, code: 0 });
    }
    expect(code('post create --from draft.md')).toMatchObject({ code: 2, stderr: expect.stringContaining('never runs it as code') });
    expect(code('post create --title Linked --template link')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('templates/link.md opens with'),
    });
    expect(code('build')).toMatchObject({
      code: 4,
      stderr: expect.stringContaining("The blog's own theme templates (templates/theme/404.eta) are JavaScript"),
    });
    expect(code('serve --port 0')).toMatchObject({ code: 4 });
    expect(code('import backup.json')).toMatchObject({ code: 2, stderr: expect.stringContaining('is invalid at id') });
    // The WordPress post's slug and names came in cleaned.
    const list = JSON.parse(sb.ok(['post', 'list', '--status', 'all', '--format', 'json', '--fields', 'title,slug,categories']));
    expect(list).toContainEqual({ title: 'Importedevil', slug: expect.not.stringMatching(/\/|\.\./), categories: ['Cat'] });
  });
});
