/**
 * What comes in is checked by one schema before any path is made of it or anything is written: ids in a
 * JSON backup and in post files, WordPress slugs, the limits on every way in, the backup's settings,
 * index entries, schema versions and revisions. Each case is tried in several encodings and through
 * several ways in; nothing may appear outside the blog, and a refused input leaves the blog as it was.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MAX_BODY_BYTES, MAX_CATEGORIES, MAX_TAGS } from '../src/core/limits.js';
import { wxrDocument, wxrItem } from './fixtures/wxr/build-wxr.js';
import { Sandbox } from './helpers/cli.js';
import type { RunResult } from './helpers/cli.js';
import { runInProcess } from './helpers/in-process.js';

const NOW = '2026-11-27T10:00:00Z';
const AT = '2026-05-01T09:00:00.000Z';

let sb: Sandbox;
let blog: string;
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runInProcess(sb, args, env);

beforeAll(() => {
  sb = new Sandbox({ TERMPRESS_NOW: NOW });
  blog = sb.initBlog('--title', 'Data', '--author', 'Ada');
});
afterAll(() => sb.cleanup());

/** Every file under a folder with its hash: what must not change. */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const file = path.join(current, name);
      if (statSync(file).isDirectory()) walk(file);
      else out[path.relative(dir, file)] = createHash('sha256').update(readFileSync(file)).digest('hex');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** The sandbox's files outside the blog's derived folder: a path made of a hostile id would land here. */
const sandboxFiles = () =>
  Object.keys(hashes(sb.root)).filter((f) => !f.includes(`${path.sep}.termpress${path.sep}`) && !f.startsWith(`home${path.sep}`));

const postFiles = () => readdirSync(path.join(blog, 'posts')).sort();

function comment(overrides: Record<string, unknown> = {}) {
  return {
    id: 'cmmnt001',
    parentId: null,
    author: 'Ann',
    email: 'ann@example.com',
    url: '',
    ip: '',
    userAgent: '',
    body: 'Hi',
    status: 'approved',
    createdAt: AT,
    updatedAt: AT,
    type: 'comment',
    reasons: [],
    ...overrides,
  };
}

function post(overrides: Record<string, unknown> = {}) {
  return {
    id: 'p0st0001',
    slug: 'restored',
    title: 'Restored',
    author: 'Ann',
    status: 'published',
    categories: [],
    tags: [],
    excerpt: '',
    body: 'Body',
    format: 'markdown',
    createdAt: AT,
    updatedAt: AT,
    publishedAt: AT,
    commentStatus: 'open',
    sticky: false,
    revision: 1,
    comments: [],
    ...overrides,
  };
}

let backups = 0;
/** A JSON backup file (the pretty form a person may have edited), outside the blog. */
function backup(posts: unknown[], settings?: Record<string, unknown>): string {
  const file = path.join(sb.root, `backup-${(backups += 1)}.json`);
  writeFileSync(file, JSON.stringify({ format: 'termpress', schemaVersion: 1, ...(settings ? { settings } : {}), posts }, null, 2));
  return file;
}

/** The one-line refusal of an input: exit 2, nothing on stdout, no stack trace, the blog's files as they were. */
async function expectRefused(args: string[], message: RegExp | string): Promise<RunResult> {
  const before = hashes(blog);
  const outside = sandboxFiles();
  const result = await run(args);
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
  expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  if (typeof message === 'string') expect(result.stderr).toContain(message);
  else expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  const after = hashes(blog);
  // The index may be refreshed by a read; the data may not change.
  for (const files of [before, after]) for (const key of Object.keys(files)) if (key.startsWith('.termpress')) delete files[key];
  expect(after).toEqual(before);
  expect(sandboxFiles()).toEqual(outside);
  return result;
}

describe('ids in a JSON backup are checked before any path is made of them', () => {
  const HOSTILE_IDS: unknown[] = [
    '../../../x',
    '..%2f..%2fx',
    '%2e%2e%2fxxx',
    '/tmp/abs',
    'a\u0000bcdefg',
    '..\\..\\x',
    'C:\\x\\y.js',
    'x/../../y',
    '\u202eabcdefg',
    '.termpress',
    'ABCDEFGH',
    'abcd',
    'abcdefghj',
    'abcdefg',
    'abcdefgi',
    '',
    'index.json'.slice(0, 8),
    42,
    null,
    {},
    ['p0st0001'],
  ];

  it.each(HOSTILE_IDS.map((id) => [JSON.stringify(id), id] as const))(
    'a post id %s: exit 2 naming the post and field, nothing written',
    async (_shown, id) => {
      await expectRefused(
        ['import', backup([post(), post({ id, slug: 'second' })])],
        /backup-\d+\.json: post 2 \(line 2\) is invalid at id: .*nothing was imported\./,
      );
    },
  );

  it.each(['../../../x', '..%2fcomment', 'CMMNT001', 'cmmnt00', null])(
    'a comment id or parent id %j: exit 2, nothing written',
    async (id) => {
      await expectRefused(['import', backup([post({ comments: [comment({ id })] })])], /is invalid at comments\.0\.id/);
      await expectRefused(
        ['import', backup([post({ comments: [comment(), comment({ id: 'cmmnt002', parentId: id ?? 7 })] })])],
        /is invalid at comments\.1\.parentId/,
      );
    },
  );

  it('two posts of one id, or two comments of one id, are refused rather than one dropped or merged', async () => {
    await expectRefused(
      ['import', backup([post(), post({ slug: 'other' })])],
      'post 2 (line 2) has the id p0st0001 of post 1; nothing was imported.',
    );
    await expectRefused(
      ['import', backup([post({ comments: [comment(), comment({ body: 'Again' })] })])],
      'is invalid at comments: comment id cmmnt001 appears twice',
    );
  });

  it('a backup whose settings would be refused writes nothing, posts included', async () => {
    const settings = JSON.parse(readFileSync(path.join(blog, 'termpress.json'), 'utf8'));
    for (const [change, message] of [
      [{ url: 'javascript:alert(1)' }, /settings are invalid at field "url": needs an absolute http\(s\) address/],
      [{ url: 'file:///etc/passwd' }, /field "url"/],
      [{ postsPerPage: 1e9 }, /field "postsPerPage"/],
      [{ title: 'T'.repeat(100_000) }, /field "title": has 100000 characters; the limit is 1000/],
      [{ moderation: { ...settings.moderation, maxLinks: -1 } }, /field "moderation\.maxLinks"/],
    ] as const) {
      await expectRefused(['import', backup([post()], { ...settings, ...change })], message);
    }
    expect(postFiles()).toEqual([]);
  });

  it('keys termpress does not know are dropped, __proto__ included; the post is stored under its id only', async () => {
    const file = path.join(sb.root, 'proto.json');
    const extra = '"__proto__": {"status": "trash", "polluted": true}, "constructor": {"prototype": {"polluted": true}}, "run": "rm -rf ~"';
    const text = JSON.stringify({ format: 'termpress', schemaVersion: 1, posts: [post({ id: 'pr0t0001', slug: 'proto' })] }).replace(
      '"id":"pr0t0001"',
      `${extra}, "id":"pr0t0001"`,
    );
    writeFileSync(file, text);
    const result = await run(['import', file]);
    expect(result.code).toBe(0);
    expect(postFiles()).toEqual(['pr0t0001.json']);
    const stored = readFileSync(path.join(blog, 'posts', 'pr0t0001.json'), 'utf8');
    expect(stored).not.toMatch(/__proto__|constructor|polluted|rm -rf/);
    expect(JSON.parse(stored)).toMatchObject({ status: 'published' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    sb.ok(['post', 'delete', 'pr0t0001', '--force', '-y']);
  });
});

describe('ids in post files, as a clone or a hand edit leaves them', () => {
  let id: string;
  beforeAll(() => {
    id = sb.ok(['post', 'create', '--title', 'On disk', '--body', 'x', '--porcelain']).trim();
  });
  afterAll(() => sb.ok(['post', 'delete', id, '--force', '-y']));

  it.each(['../../../tmp/x', '..%2f..%2fx', '/tmp/abs', '..\\..\\x', 'ABCDEFGH', 42, null])(
    'a file whose "id" is %j is refused by every command, which write nothing',
    async (value) => {
      const file = path.join(blog, 'posts', `${id}.json`);
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, JSON.stringify({ ...JSON.parse(original), id: value }, null, 2));
      try {
        const outside = sandboxFiles();
        for (const args of [
          ['post', 'list'],
          ['post', 'show', id],
          ['post', 'edit', id, '--title', 'Moved'],
          ['build'],
          ['export', '--format', 'json'],
        ]) {
          const result = await run(args);
          expect({ args, code: result.code }).toEqual({ args, code: 5 });
          expect(result.stderr).toMatch(new RegExp(`posts/${id}\\.json is not a valid post: field "id"`));
        }
        expect(sandboxFiles()).toEqual(outside);
        const doctor = await run(['doctor']);
        expect(doctor.code).toBe(5);
        expect(doctor.stdout).toContain(`posts/${id}.json: is not a valid post: field "id"`);
      } finally {
        writeFileSync(file, original);
      }
    },
  );
});

describe('slugs from WordPress become plain file names', () => {
  it('climbing, encoded, absolute, Windows, bidi and reserved names are made safe; every file stays inside the blog', async () => {
    const names = [
      '../../../tmp/wxrname',
      '..%2F..%2Fencoded',
      '%2e%2e',
      '%2e%2e%2f%2e%2e%2fdouble',
      '/etc/passwd',
      '..\\..\\windows',
      'C:\\Windows\\win.ini',
      '\u202egnp.exe',
      '....',
      '.',
      '..',
      '.hidden',
      'con',
      '%00nul',
      '12345',
      'x'.repeat(400),
      'a/b',
    ];
    const file = path.join(sb.root, 'names.xml');
    writeFileSync(file, wxrDocument(names.map((name, i) => wxrItem({ id: i + 1, name, title: `Name ${i}` }))));
    const outside = sandboxFiles();
    expect((await run(['import', file])).code).toBe(0);
    const posts = JSON.parse((await run(['post', 'list', '--format', 'json', '--fields', 'id,slug'])).stdout) as Array<{
      id: string;
      slug: string;
    }>;
    expect(posts).toHaveLength(names.length);
    for (const { slug } of posts) {
      expect(slug).toMatch(/^[^/\\\u0000-\u001f\u202a-\u202e]+$/);
      expect(slug.split('.').every((part) => part !== '') || slug === '').toBe(true);
      expect(slug).not.toMatch(/^\.|\.\.|%/);
      expect(Buffer.byteLength(slug)).toBeLessThanOrEqual(200);
    }
    expect(new Set(posts.map((p) => p.slug)).size).toBe(posts.length);
    expect((await run(['build'])).code).toBe(0);
    expect(
      sandboxFiles()
        .filter((f) => !outside.includes(f))
        .every((f) => f.startsWith(path.relative(sb.root, blog) + path.sep)),
    ).toBe(true);
    for (const { id } of posts) sb.ok(['post', 'delete', id, '--force', '-y']);
  });
});

describe('every limit holds on every way in', () => {
  const tooManyTags = Array.from({ length: MAX_TAGS + 1 }, (_, i) => `tag${i}`);
  const tooManyCategories = Array.from({ length: MAX_CATEGORIES + 1 }, (_, i) => `cat${i}`);
  const bigBody = 'a'.repeat(MAX_BODY_BYTES + 1);

  it('too many tags: the command line, front matter, a WordPress export (10,000 of them), a backup', async () => {
    await expectRefused(
      ['post', 'create', '--title', 'Tags', '--tag', tooManyTags.join(',')],
      `has ${MAX_TAGS + 1} tags; the limit is ${MAX_TAGS}`,
    );
    const md = path.join(sb.root, 'tags.md');
    writeFileSync(md, `---\ntitle: Tags\ntags: [${tooManyTags.join(', ')}]\n---\nBody\n`);
    await expectRefused(['post', 'create', '--from', md], `the limit is ${MAX_TAGS}`);
    const xml = path.join(sb.root, 'tags.xml');
    writeFileSync(
      xml,
      wxrDocument([
        wxrItem({ id: 1, terms: Array.from({ length: 10_000 }, (_, i) => ['post_tag', `t${i}`, `t${i}`] as [string, string, string]) }),
      ]),
    );
    await expectRefused(['import', xml], `is invalid at tags: has 10000 tags; the limit is ${MAX_TAGS}`);
    await expectRefused(['import', backup([post({ tags: tooManyTags })])], `is invalid at tags: has ${MAX_TAGS + 1} tags`);
    await expectRefused(
      ['import', backup([post({ categories: tooManyCategories })])],
      `is invalid at categories: has ${MAX_CATEGORIES + 1} categories`,
    );
    const id = sb.ok(['post', 'create', '--title', 'Grows', '--tag', tooManyTags.slice(0, MAX_TAGS).join(','), '--porcelain']).trim();
    await expectRefused(['post', 'edit', id, '--add-tag', 'one-more'], `the limit is ${MAX_TAGS}`);
    sb.ok(['post', 'delete', id, '--force', '-y']);
  });

  it('a body over 10 MB: a WordPress export and a backup', async () => {
    const xml = path.join(sb.root, 'big.xml');
    writeFileSync(xml, wxrDocument([wxrItem({ id: 1, body: bigBody })]));
    await expectRefused(['import', xml], 'is invalid at body: is 10.0 MB; the limit is 10.0 MB');
    await expectRefused(['import', backup([post({ body: bigBody })])], 'is invalid at body');
  });

  it('a hand-edited post over a limit is refused when read, by build too, naming the file and field', async () => {
    const id = sb.ok(['post', 'create', '--title', 'Hand edited', '--status', 'published', '--porcelain']).trim();
    const file = path.join(blog, 'posts', `${id}.json`);
    const original = readFileSync(file, 'utf8');
    try {
      for (const [change, field] of [
        [{ tags: Array.from({ length: 10_000 }, (_, i) => `t${i}`) }, 'tags'],
        [{ body: bigBody }, 'body'],
        [{ title: 'T'.repeat(1001) }, 'title'],
      ] as const) {
        writeFileSync(file, JSON.stringify({ ...JSON.parse(original), ...change }));
        for (const args of [['build'], ['post', 'show', id], ['export', '--format', 'json']]) {
          const result = await run(args);
          expect({ args, code: result.code }).toEqual({ args, code: 5 });
          expect(result.stderr).toContain(`posts/${id}.json is not a valid post: field "${field}"`);
        }
      }
    } finally {
      writeFileSync(file, original);
      sb.ok(['post', 'delete', id, '--force', '-y']);
    }
  });

  it('posts at the limits still build, every tag page once', async () => {
    const tags = Array.from({ length: MAX_TAGS }, (_, i) => `tag${i}`);
    const ids = [1, 2, 3].map((n) =>
      sb.ok(['post', 'create', '--title', `Full ${n}`, '--status', 'published', '--tag', tags.join(','), '--porcelain']).trim(),
    );
    const report = JSON.parse((await run(['build', '--format', 'json'])).stdout);
    expect(report.postsShown).toBe(3);
    expect(readdirSync(path.join(blog, 'public', 'tag'))).toHaveLength(MAX_TAGS);
    for (const id of ids) sb.ok(['post', 'delete', id, '--force', '-y']);
  });
});

describe('a damaged index never gives wrong answers', () => {
  let alpha: string;
  let beta: string;
  const indexFile = () => path.join(blog, '.termpress', 'index.json');

  beforeAll(() => {
    alpha = sb.ok(['post', 'create', '--title', 'Alpha', '--body', 'a', '--porcelain']).trim();
    beta = sb.ok(['post', 'create', '--title', 'Beta', '--body', 'b', '--porcelain']).trim();
    sb.ok(['post', 'list']);
  });
  afterAll(() => {
    for (const id of [alpha, beta]) sb.ok(['post', 'delete', id, '--force', '-y']);
  });

  type Index = { posts: Record<string, { size: number; mtimeMs: number; summary: Record<string, unknown> | null }> };
  const DAMAGE: Array<[string, (index: Index, alpha: string, beta: string) => void]> = [
    [
      'a status that is none',
      (i, a) => {
        i.posts[a]!.summary!['status'] = 'bogus';
      },
    ],
    [
      'no summary',
      (i, a) => {
        i.posts[a]!.summary = null;
      },
    ],
    [
      'the summary of another post',
      (i, a, b) => {
        i.posts[a]!.summary = { ...i.posts[b]!.summary };
      },
    ],
    [
      'a hostile id',
      (i, a) => {
        i.posts[a]!.summary!['id'] = '../../x';
      },
    ],
    [
      '10,000 tags',
      (i, a) => {
        i.posts[a]!.summary!['tags'] = Array(10_000).fill('t');
      },
    ],
    [
      'negative comment counts',
      (i, a) => {
        i.posts[a]!.summary!['comments'] = { approved: -1 };
      },
    ],
    [
      'a revision out of range',
      (i, a) => {
        i.posts[a]!.summary!['revision'] = 2 ** 60;
      },
    ],
    [
      'an entry under __proto__',
      (i, a) => {
        Object.defineProperty(i.posts, '__proto__', { value: i.posts[a], enumerable: true });
      },
    ],
    [
      'an entry for a post that does not exist',
      (i, a) => {
        i.posts['zzzz2222'] = i.posts[a]!;
      },
    ],
  ];

  it.each(DAMAGE)('%s, with the size and time of the file: list, show and doctor answer from the files', async (_name, damage) => {
    sb.ok(['doctor', '--fix']);
    const index = JSON.parse(readFileSync(indexFile(), 'utf8')) as Index;
    damage(index, alpha, beta);
    writeFileSync(indexFile(), JSON.stringify(index));
    // doctor first, before a read rebuilds the entry.
    const doctor = await run(['doctor']);
    expect(doctor.code).toBe(5);
    expect(doctor.stdout).toMatch(/index\.json: .*(do not match the post files|out of date).*doctor --fix will rebuild it/);
    const listed = await run(['post', 'list', '--format', 'json', '--fields', 'id,title,slug,status']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).sort((x: { id: string }, y: { id: string }) => x.id.localeCompare(y.id))).toEqual(
      [
        { id: alpha, title: 'Alpha', slug: 'alpha', status: 'draft' },
        { id: beta, title: 'Beta', slug: 'beta', status: 'draft' },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    );
    for (const ref of [alpha, 'alpha', alpha.slice(0, 4)]) {
      const shown = await run(['post', 'show', ref, '--format', 'json']);
      expect({ ref, code: shown.code }).toEqual({ ref, code: 0 });
      expect(JSON.parse(shown.stdout)).toMatchObject({ id: alpha, title: 'Alpha' });
    }
    expect((await run(['doctor', '--fix'])).code).toBe(0);
    expect((await run(['doctor'])).code).toBe(0);
  });

  // An entry of the right shape is trusted while the file keeps its size and time (the index is a cache,
  // and a clone's files all get the time of the checkout): doctor is what compares it with the file.
  it('an entry of the right shape but the wrong content is found by doctor and repaired by --fix', async () => {
    sb.ok(['doctor', '--fix']);
    const index = JSON.parse(readFileSync(indexFile(), 'utf8')) as Index;
    index.posts[alpha]!.summary!['title'] = 'Gamma';
    writeFileSync(indexFile(), JSON.stringify(index));
    const doctor = await run(['doctor']);
    expect(doctor.code).toBe(5);
    expect(doctor.stdout).toContain('index.json: 1 entry of the index do not match the post files');
    expect((await run(['doctor', '--fix'])).code).toBe(0);
    expect(JSON.parse((await run(['post', 'show', alpha, '--format', 'json'])).stdout).title).toBe('Alpha');
  });
});

describe('schema versions: a blog that is not this schema is refused by every read and write', () => {
  let id: string;
  let commentId: string;
  let settingsText: string;
  beforeAll(() => {
    id = sb.ok(['post', 'create', '--title', 'Versioned', '--status', 'published', '--porcelain']).trim();
    commentId = sb
      .ok(['comment', 'add', id, '--author', 'Ann', '--email', 'ann@example.com', '--body', 'Hi', '--approve', '--porcelain'])
      .trim();
    settingsText = readFileSync(path.join(blog, 'termpress.json'), 'utf8');
  });
  afterAll(() => {
    writeFileSync(path.join(blog, 'termpress.json'), settingsText);
    sb.ok(['post', 'delete', id, '--force', '-y']);
  });

  it.each([
    [2, /schemaVersion 2, newer than this termpress knows \(1\): upgrade termpress/],
    [99, /schemaVersion 99, newer than this termpress knows/],
    [1.5, /schemaVersion 1\.5, newer than this termpress knows/],
    [0, /schemaVersion 0, which this termpress \(schemaVersion 1\) cannot migrate/],
    [-1, /schemaVersion -1, which this termpress .* cannot migrate/],
    ['1', /schemaVersion "1", which this termpress .* cannot migrate/],
    [null, /schemaVersion null, which this termpress .* cannot migrate/],
  ])('schemaVersion %j: exit 5 with the reason from reads and writes alike; nothing written', async (version, message) => {
    writeFileSync(path.join(blog, 'termpress.json'), JSON.stringify({ ...JSON.parse(settingsText), schemaVersion: version }, null, 2));
    const before = hashes(blog);
    for (const args of [
      ['post', 'show', id, '--format', 'json'],
      ['post', 'list', '--format', 'json'],
      ['comment', 'show', commentId],
      ['comment', 'list', '--format', 'json'],
      ['export', '--format', 'json'],
      ['build'],
      ['config', 'list'],
      ['post', 'edit', id, '--title', 'Changed'],
      ['comment', 'add', id, '--author', 'Bo', '--email', 'bo@example.com', '--body', 'Hey', '--approve'],
      ['comment', 'approve', commentId],
      ['post', 'trash', id],
      ['config', 'set', 'title', 'Changed'],
      ['post', 'create', '--title', 'New'],
    ]) {
      const result = await run(args);
      expect({ args, code: result.code }).toEqual({ args, code: 5 });
      expect(result.stderr).toMatch(message);
    }
    expect(hashes(blog)).toEqual(before);
  });
});

describe('revisions are bounded before anything is written', () => {
  it('a post at the highest revision refuses every write with exit 4 and stays readable; one past it is refused on read', async () => {
    const id = sb.ok(['post', 'create', '--title', 'Old', '--status', 'published', '--porcelain']).trim();
    const file = path.join(blog, 'posts', `${id}.json`);
    const at = (revision: number) => writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), revision }, null, 2));
    at(Number.MAX_SAFE_INTEGER - 1);
    expect((await run(['post', 'edit', id, '--title', 'Last'])).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).revision).toBe(Number.MAX_SAFE_INTEGER);
    const before = readFileSync(file, 'utf8');
    for (const args of [
      ['post', 'edit', id, '--title', 'One more'],
      ['post', 'unpublish', id],
      ['post', 'trash', id],
      ['post', 'edit', id, '--add-tag', 'more'],
    ]) {
      const result = await run(args);
      expect({ args, code: result.code }).toEqual({ args, code: 4 });
      expect(result.stderr).toContain(`is at revision ${Number.MAX_SAFE_INTEGER}, the highest there is`);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    // Comments do not count as revisions of the post: they still come in, and the post stays valid.
    expect((await run(['comment', 'add', id, '--author', 'Ann', '--email', 'ann@example.com', '--body', 'Hi', '--approve'])).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).revision).toBe(Number.MAX_SAFE_INTEGER);
    for (const args of [['post', 'show', id], ['post', 'list'], ['build']]) expect((await run(args)).code).toBe(0);
    for (const revision of [Number.MAX_SAFE_INTEGER + 1, 1e300, 0, -1, 1.5]) {
      at(revision);
      const result = await run(['post', 'show', id]);
      expect(result.code).toBe(5);
      expect(result.stderr).toContain('field "revision": must be a whole number from 1 to 9007199254740991');
    }
    at(1);
    sb.ok(['post', 'delete', id, '--force', '-y']);
  });
});
