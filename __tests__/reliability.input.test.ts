import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openBlog } from '../src/api/blog.js';
import { UsageError } from '../src/core/errors.js';
import { MAX_BODY_BYTES } from '../src/core/limits.js';
import { BIN, Sandbox } from './helpers/cli.js';

// Hostile or mistaken input on the command line and through the library: each is refused with exit 2
// and a message naming what is wrong, and nothing is created or changed; titles are cleaned instead.

let sb: Sandbox;
let blog: string;
let postId: string;

const postFiles = () => readdirSync(path.join(blog, 'posts')).sort();

beforeAll(() => {
  sb = new Sandbox();
  blog = sb.initBlog('--title', 'Input');
  postId = sb.ok(['post', 'create', '--title', 'Existing', '--body', 'Body', '--porcelain']).trim();
});
afterAll(() => sb.cleanup());

function refused(args: string[], message: string | RegExp, options: { input?: string } = {}): void {
  const before = postFiles().map((f) => readFileSync(path.join(blog, 'posts', f), 'utf8'));
  const result = sb.run(args, options);
  expect(result).toMatchObject({ code: 2, stdout: '' });
  if (typeof message === 'string') expect(result.stderr).toContain(message);
  else expect(result.stderr).toMatch(message);
  expect(result.stderr.startsWith('error: ')).toBe(true);
  expect(postFiles().map((f) => readFileSync(path.join(blog, 'posts', f), 'utf8'))).toEqual(before);
}

describe('flags and dates', () => {
  test.each([
    [['post', 'create', '--title', 'x', '--bogus'], "unknown option '--bogus'"],
    [['post', 'list', '--statuss', 'draft'], "unknown option '--statuss'"],
    [['post', 'edit', 'EXISTING', '--titel', 'x'], "unknown option '--titel'"],
    [['post', 'create', '--title', 'x', '--at', 'blursday 25:99'], 'Cannot read the date "blursday 25:99" given to --at'],
    [['post', 'publish', 'EXISTING', '--at', 'the day after never'], 'Cannot read the date "the day after never" given to --at'],
    [['post', 'list', '--since', '2026-13-45'], '2026-13-45'],
    [['post', 'create', '--title', 'x', '--status', 'live'], /argument 'live' is invalid|Allowed choices/],
    [['post', 'list', '--limit', '-3'], '--limit needs a whole number'],
  ])('%j is exit 2: %s', (args, message) => {
    refused(
      args.map((a) => (a === 'EXISTING' ? postId : a)),
      message,
    );
  });
});

describe('slugs that would leave posts/', () => {
  test.each(['../x', '..', '../../etc/passwd', 'a/b', 'a\\b', '/abs', 'x/../../y', '.hidden', 'UPPER', 'a b', '12345', ''])(
    'post create --slug %j is exit 2 and writes no file',
    (slug) => {
      refused(['post', 'create', '--title', 'Escape', '--slug', slug], /Invalid slug ".*": a slug may/);
    },
  );

  test('post edit --slug ../x is exit 2 too, and the post keeps its slug', () => {
    refused(['post', 'edit', postId, '--slug', '../x'], 'Invalid slug "../x": a slug may not contain path separators');
    expect(JSON.parse(readFileSync(path.join(blog, 'posts', `${postId}.json`), 'utf8')).slug).toBe('existing');
  });

  test('front matter cannot smuggle one in either', () => {
    const file = path.join(sb.cwd, 'evil.md');
    writeFileSync(file, '---\ntitle: Evil\nslug: ../../outside\n---\nBody\n');
    refused(['post', 'create', '--from', file], 'Invalid slug "../../outside"');
  });
});

describe('control characters in titles are removed, not stored', () => {
  test('escape sequences, bells, bidi overrides and line breaks leave the title; the slug is clean', () => {
    const title = 'Hello\u001b[31m red\u001b[0m\u0007 \u202eworld\r\nagain';
    const id = sb.ok(['post', 'create', '--title', title, '--porcelain']).trim();
    const stored = JSON.parse(readFileSync(path.join(blog, 'posts', `${id}.json`), 'utf8'));
    expect(stored.title).toBe('Hello red world again');
    expect(stored.slug).toBe('hello-red-world-again');
    sb.ok(['post', 'edit', id, '--title', 'Second\u001b]0;pwned\u0007 title\ttabbed']);
    expect(JSON.parse(readFileSync(path.join(blog, 'posts', `${id}.json`), 'utf8')).title).toBe('Second title tabbed');
  });

  test('a title that is nothing but control characters is exit 2', () => {
    refused(['post', 'create', '--title', '\u001b[2J\u0007\u0008'], 'A post needs a title: pass --title <text>.');
  });
});

describe('bodies that are not text, or too big', () => {
  test('NUL bytes in a body file are exit 2', () => {
    const file = path.join(sb.cwd, 'nul.bin');
    writeFileSync(file, Buffer.from([0x68, 0x69, 0x00, 0x21]));
    refused(['post', 'create', '--title', 'Binary', '--body-file', file], /holds NUL bytes; is it a binary file\?/);
    refused(['post', 'edit', postId, '--body-file', file], /holds NUL bytes/);
  });

  test('invalid UTF-8 in a body file, on standard input or in a --from file is exit 2', () => {
    const bad = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe]);
    const file = path.join(sb.cwd, 'latin1.txt');
    writeFileSync(file, bad);
    refused(['post', 'create', '--title', 'Latin', '--body-file', file], /latin1\.txt is not valid UTF-8 text; convert it first/);
    const md = path.join(sb.cwd, 'latin1.md');
    writeFileSync(md, Buffer.concat([Buffer.from('---\ntitle: Latin\n---\n'), bad]));
    refused(['post', 'create', '--from', md], /latin1\.md is not valid UTF-8 text/);
    const count = postFiles().length;
    // Sandbox.run takes text; the raw bytes go to standard input through spawnSync directly.
    const piped = spawnSync(process.execPath, [BIN, 'post', 'create', '--title', 'Piped', '--body-file', '-'], {
      cwd: sb.cwd,
      env: sb.env,
      input: bad,
    });
    expect(piped.status).toBe(2);
    expect(piped.stderr.toString()).toBe(
      'error: The body from standard input is not valid UTF-8 text; convert it first (e.g. iconv -t utf-8).\n',
    );
    expect(postFiles()).toHaveLength(count);
  });

  test('a body over 10 MB is exit 2 with the limit in the message; exactly the limit is accepted by the library', async () => {
    const big = path.join(sb.cwd, 'big.md');
    writeFileSync(big, Buffer.alloc(MAX_BODY_BYTES + 1, 'a'));
    refused(
      ['post', 'create', '--title', 'Big', '--body-file', big],
      `is ${MAX_BODY_BYTES + 1} bytes; the limit for a post is ${MAX_BODY_BYTES} bytes (10 MB)`,
    );
    refused(['post', 'edit', postId, '--body-file', big], `the limit for a post is ${MAX_BODY_BYTES} bytes`);
    const lib = await openBlog({ blog, env: sb.env });
    await expect(lib.createPost({ title: 'Too big', body: 'é'.repeat(MAX_BODY_BYTES / 2 + 1) })).rejects.toThrow(
      new UsageError('The body is 10.0 MB; the limit is 10.0 MB (10485760 bytes): shorten it, or split the post.'),
    );
    await expect(lib.updatePost(postId, { body: 'a'.repeat(MAX_BODY_BYTES + 1) })).rejects.toBeInstanceOf(UsageError);
    await expect(lib.createPost({ title: 'Nul', body: 'a\u0000b' })).rejects.toThrow('The body holds NUL characters');
    await expect(lib.createPost({ title: 'Half', body: 'a\ud800b' })).rejects.toThrow('The body is not valid Unicode text');
    const exact = await lib.createPost({ title: 'Exactly at the limit', body: 'a'.repeat(MAX_BODY_BYTES) });
    expect((await lib.getPost(exact.id)).body).toHaveLength(MAX_BODY_BYTES);
    await lib.deletePost(exact.id, { force: true });
  });
});

describe('ids that match several posts', () => {
  test('a shared prefix is exit 2 listing every candidate; a longer prefix or the slug picks one', () => {
    const template = JSON.parse(readFileSync(path.join(blog, 'posts', `${postId}.json`), 'utf8'));
    const ids = ['qqqq1111', 'qqqq2222', 'qqqq2233'];
    ids.forEach((id, i) => writeFileSync(path.join(blog, 'posts', `${id}.json`), JSON.stringify({ ...template, id, slug: `twin-${i}` })));
    for (const args of [
      ['post', 'show', 'qqqq'],
      ['post', 'edit', 'qqqq', '--title', 'Which?'],
      ['post', 'publish', 'qqqq'],
      ['comment', 'add', 'qqqq', '--body', 'x'],
    ]) {
      refused(args, '"qqqq" matches 3 posts: qqqq1111 (twin-0), qqqq2222 (twin-1), qqqq2233 (twin-2); give more characters of the id.');
    }
    refused(['post', 'show', 'qqqq22'], '"qqqq22" matches 2 posts: qqqq2222 (twin-1), qqqq2233 (twin-2)');
    expect(sb.ok(['post', 'show', 'qqqq1', '--format', 'json'])).toContain('"id": "qqqq1111"');
    expect(sb.ok(['post', 'show', 'twin-2', '--format', 'json'])).toContain('"id": "qqqq2233"');
    expect(sb.run(['post', 'show', 'qqqq9'])).toMatchObject({ code: 3 });
  });
});
