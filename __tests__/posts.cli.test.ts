import { existsSync, readFileSync, readdirSync, writeFileSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { Sandbox } from './helpers/cli.js';

const NOW = '2026-11-27T10:00:00Z';

describe('termpress post (end to end, as a script runs it)', () => {
  let sb: Sandbox;
  let blog: string;

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: NOW });
    blog = sb.initBlog('--title', 'Field notes', '--timezone', 'Europe/Paris', '--author', 'Ada');
  });
  afterEach(() => sb.cleanup());

  const postFiles = () => readdirSync(path.join(blog, 'posts')).sort();
  const readPost = (id: string) => JSON.parse(readFileSync(path.join(blog, 'posts', `${id}.json`), 'utf8'));
  const create = (...args: string[]) => sb.ok(['post', 'create', '--porcelain', ...args]).trim();

  it('init writes the settings and refuses a second init', () => {
    const settings = JSON.parse(readFileSync(path.join(blog, 'termpress.json'), 'utf8'));
    expect(settings).toMatchObject({ schemaVersion: 1, title: 'Field notes', timezone: 'Europe/Paris', author: 'Ada' });
    const again = sb.run(['init', blog]);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('creates a draft and prints only the id with --porcelain', () => {
    const id = create('--title', 'Hello, World!', '--body', 'Hi *there*', '--category', 'News', '--tag', 'a,b', '--tag', 'c');
    expect(id).toMatch(/^[0-9a-z]{8}$/);
    const post = readPost(id);
    expect(post).toMatchObject({
      id,
      slug: 'hello-world',
      title: 'Hello, World!',
      author: 'Ada',
      status: 'draft',
      body: 'Hi *there*',
      categories: ['News'],
      tags: ['a', 'b', 'c'],
      publishedAt: null,
      revision: 1,
      comments: [],
      format: 'markdown',
    });
    expect(Object.keys(post).slice(0, 5)).toEqual(['id', 'slug', 'title', 'author', 'status']);
  });

  it('makes slugs unique with -2, -3', () => {
    const ids = [create('--title', 'Same'), create('--title', 'Same'), create('--title', 'Same')];
    expect(ids.map((id) => readPost(id).slug)).toEqual(['same', 'same-2', 'same-3']);
  });

  it('without a terminal, a missing title is exit 2 naming --title, and nothing is created', () => {
    const result = sb.run(['post', 'create', '--body', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--title/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(postFiles()).toEqual([]);
  });

  it('reads the body from standard input and a post from front matter', () => {
    const id = create('--title', 'Piped', '--body-file', '-');
    expect(readPost(id).body).toBe('');
    const id2 = sb.ok(['post', 'create', '--porcelain', '--title', 'Piped', '--body-file', '-'], { input: 'from stdin\n' }).trim();
    expect(readPost(id2).body).toBe('from stdin\n');
    const md = path.join(sb.cwd, 'draft.md');
    writeFileSync(
      md,
      '---\ntitle: From a file\nslug: from-file\ncategories: [Travel, Food]\ntags: x, y\nexcerpt: Short\n---\n\nThe body.\n',
    );
    const id3 = create('--from', md);
    expect(readPost(id3)).toMatchObject({
      title: 'From a file',
      slug: 'from-file',
      categories: ['Travel', 'Food'],
      tags: ['x', 'y'],
      excerpt: 'Short',
      body: 'The body.\n',
      status: 'draft',
    });
  });

  it('schedules with --at in the blog timezone and publishes when due', () => {
    const id = create('--title', 'Later', '--at', 'tomorrow 9am');
    // 9am in Paris (UTC+1 in November) is 08:00 UTC.
    expect(readPost(id)).toMatchObject({ status: 'scheduled', publishedAt: '2026-11-28T08:00:00.000Z' });
    const early = sb.run(['post', 'publish', '--due']);
    expect(early.code).toBe(0);
    expect(early.stdout).toBe('');
    const due = sb.run(['post', 'publish', '--due'], { env: { TERMPRESS_NOW: '2026-11-28T08:00:00Z' } });
    expect(due.code).toBe(0);
    expect(due.stdout).toMatch(new RegExp(`^Published ${id} "Later"`));
    expect(readPost(id)).toMatchObject({ status: 'published', publishedAt: '2026-11-28T08:00:00.000Z', revision: 2 });
  });

  it('publishes now, keeps a past date, and publishing twice changes nothing', () => {
    const id = create('--title', 'Now');
    const out = sb.ok(['post', 'publish', id]);
    expect(out).toMatch(/^Published/);
    expect(readPost(id)).toMatchObject({ status: 'published', publishedAt: '2026-11-27T10:00:00.000Z', revision: 2 });
    const again = sb.run(['post', 'publish', id], { env: { TERMPRESS_NOW: '2026-11-28T10:00:00Z' } });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/is already published/);
    expect(readPost(id)).toMatchObject({ publishedAt: '2026-11-27T10:00:00.000Z', revision: 2 });
    const past = create('--title', 'Old');
    sb.ok(['post', 'publish', past, '--at', '2020-01-02T03:04:05Z']);
    expect(readPost(past)).toMatchObject({ status: 'published', publishedAt: '2020-01-02T03:04:05.000Z' });
  });

  it('an unreadable date is a usage error naming the text', () => {
    const id = create('--title', 'X');
    const result = sb.run(['post', 'publish', id, '--at', 'when pigs fly']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"when pigs fly"/);
    expect(readPost(id).status).toBe('draft');
  });

  it('moves through unpublish, trash, restore and delete', () => {
    const id = create('--title', 'Cycle', '--status', 'published');
    expect(sb.ok(['post', 'unpublish', id])).toMatch(/^Unpublished/);
    expect(readPost(id)).toMatchObject({ status: 'draft', publishedAt: null });
    sb.ok(['post', 'publish', id]);
    sb.ok(['post', 'trash', id]);
    expect(readPost(id)).toMatchObject({ status: 'trash', previousStatus: 'published' });
    expect(sb.ok(['post', 'list', '--format', 'ids'])).toBe('');
    sb.ok(['post', 'restore', id]);
    expect(readPost(id).status).toBe('published');
    const refused = sb.run(['post', 'delete', id]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/--force/);
    sb.ok(['post', 'trash', id]);
    sb.ok(['post', 'delete', id]);
    expect(postFiles()).toEqual([]);
  });

  it('reports each of several posts and exits non-zero when one fails', () => {
    const a = create('--title', 'A');
    const b = create('--title', 'B');
    const result = sb.run(['post', 'trash', a, 'no-such-post', b]);
    expect(result.code).toBe(3);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(/no-such-post/);
    expect(readPost(a).status).toBe('trash');
    expect(readPost(b).status).toBe('trash');
  });

  it('accepts an id, a unique prefix or a slug, and lists candidates for an ambiguous prefix', () => {
    const id = create('--title', 'Findable');
    expect(JSON.parse(sb.ok(['post', 'show', id.slice(0, 4), '--json'])).id).toBe(id);
    expect(JSON.parse(sb.ok(['post', 'show', 'findable', '--json'])).id).toBe(id);
    // A second post whose id shares the first four characters.
    const twin = `${id.slice(0, 4)}${id.slice(4) === 'zzzz' ? 'yyyy' : 'zzzz'}`;
    const post = readPost(id);
    writeFileSync(path.join(blog, 'posts', `${twin}.json`), JSON.stringify({ ...post, id: twin, slug: 'twin' }, null, 2));
    const ambiguous = sb.run(['post', 'show', id.slice(0, 4)]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(id);
    expect(ambiguous.stderr).toContain(twin);
    expect(sb.run(['post', 'show', 'nothing-here']).code).toBe(3);
  });

  it('lists in every format of the contract, with filters', () => {
    const a = create('--title', 'Alpha', '--category', 'Tech', '--tag', 'js', '--body', 'needle in here');
    const b = create('--title', 'Beta', '--category', 'Life', '--at', '2026-01-05T00:00:00Z');
    create('--title', 'Gamma', '--category', 'Tech');
    const json = JSON.parse(sb.ok(['post', 'list', '--json']));
    expect(json).toHaveLength(3);
    expect(json[0]).toMatchObject({ title: expect.any(String), commentCounts: { approved: 0, pending: 0, spam: 0, trash: 0 } });
    expect(json[0]).not.toHaveProperty('body');
    expect(sb.ok(['post', 'list', '--format', 'count'])).toBe('3\n');
    expect(sb.ok(['post', 'list', '--category', 'tech', '--format', 'count'])).toBe('2\n');
    expect(sb.ok(['post', 'list', '--tag', 'js', '--format', 'ids'])).toBe(`${a}\n`);
    expect(sb.ok(['post', 'list', '--search', 'NEEDLE', '--format', 'ids'])).toBe(`${a}\n`);
    expect(sb.ok(['post', 'list', '--status', 'published', '--format', 'ids'])).toBe(`${b}\n`);
    expect(sb.ok(['post', 'list', '--until', '2026-06-01', '--format', 'ids'])).toBe(`${b}\n`);
    const titles = sb
      .ok(['post', 'list', '--sort', 'title', '--format', 'jsonl', '--fields', 'title'])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(titles).toEqual([{ title: 'Alpha' }, { title: 'Beta' }, { title: 'Gamma' }]);
    expect(sb.ok(['post', 'list', '--sort', 'title', '--reverse', '--limit', '1', '--offset', '1', '--format', 'ids'])).toBe(`${b}\n`);
    const csv = sb.ok(['post', 'list', '--sort', 'title', '--format', 'csv', '--fields', 'id,title,categories']);
    expect(csv.split('\n')[0]).toBe('id,title,categories');
    expect(csv.split('\n')[1]).toBe(`${a},Alpha,Tech`);
    const table = sb.ok(['post', 'list']);
    expect(table).toMatch(/^ID\s+STATUS\s+DATE\s+TITLE/);
    expect(table).not.toContain('\u001b');
  });

  it('reports every bad list option at once, with exit 2', () => {
    const result = sb.run(['post', 'list', '--format', 'xml', '--status', 'nope', '--fields', 'zzz']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--format/);
    expect(result.stderr).toMatch(/--status/);
    expect(result.stderr).toMatch(/--fields/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('shows a post as a reader sees it', () => {
    const id = create('--title', 'Shown', '--body', 'Body text', '--category', 'News', '--at', '2026-11-20T12:00:00Z');
    const text = sb.ok(['post', 'show', id]);
    expect(text).toContain('Shown\nPosted by Ada in News on 2026-11-20 13:00\n');
    expect(text).toContain('Body text');
    expect(text).toContain('0 comments');
  });

  it('edits only what changed, bumps the revision, and detects a stale revision', () => {
    const id = create('--title', 'Edit me', '--tag', 'a');
    expect(sb.ok(['post', 'edit', id, '--title', 'Edited', '--add-tag', 'b'])).toMatch(/title, tags \(revision 2\)/);
    expect(readPost(id)).toMatchObject({ title: 'Edited', tags: ['a', 'b'], revision: 2, slug: 'edit-me' });
    const same = sb.run(['post', 'edit', id, '--title', 'Edited']);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/No changes/);
    expect(readPost(id).revision).toBe(2);
    const stale = sb.run(['post', 'edit', id, '--title', 'Again', '--if-revision', '1']);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(/revision 2, not 1/);
    expect(readPost(id).title).toBe('Edited');
    expect(sb.run(['post', 'edit', id, '--slug', '../x']).code).toBe(2);
    create('--title', 'Other');
    const taken = sb.run(['post', 'edit', id, '--slug', 'other']);
    expect(taken.code).toBe(4);
  });

  it('JSON output escapes C1 controls and bidi overrides, and still gives the text back', () => {
    const body = 'csi \u009b31m and bidi \u202e reversed';
    const id = create('--title', 'Escaped', '--body', body);
    for (const args of [
      ['post', 'show', id, '--json'],
      ['post', 'list', '--format', 'jsonl', '--fields', 'id'],
    ]) {
      expect(sb.ok(args)).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
    }
    const shown = sb.ok(['post', 'show', id, '--json']);
    expect(shown).toContain('\\u009b31m');
    expect(JSON.parse(shown).body).toBe(body);
    expect(sb.ok(['post', 'show', id])).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
  });

  it('errors are one line without a stack, unless --debug', () => {
    const plain = sb.run(['post', 'show', 'missing']);
    expect(plain.code).toBe(3);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    expect(plain.stderr).not.toMatch(/\bat .*\.js:\d+/);
    const debug = sb.run(['--debug', 'post', 'show', 'missing']);
    expect(debug.stderr).toMatch(/\bat .*\.js:\d+/);
    expect(sb.run(['post', 'list', '--bogus']).code).toBe(2);
  });

  it('prints no colour into a pipe, and honours FORCE_COLOR and NO_COLOR', () => {
    const piped = sb.run(['post', 'show', 'missing']);
    expect(piped.stderr).not.toContain('\u001b');
    const forced = sb.run(['post', 'show', 'missing'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toContain('\u001b[');
    const none = sb.run(['post', 'show', 'missing'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(none.stderr).not.toContain('\u001b');
    expect(sb.run(['--no-color', 'post', 'show', 'missing'], { env: { FORCE_COLOR: '1' } }).stderr).not.toContain('\u001b');
  });

  it('a corrupt post file is exit 5 naming the file and the field, and is left as it was', () => {
    const id = create('--title', 'Fine');
    const file = path.join(blog, 'posts', `${id}.json`);
    const broken = JSON.stringify({ ...readPost(id), status: 'lost' }, null, 2);
    writeFileSync(file, broken);
    const list = sb.run(['post', 'list']);
    expect(list.code).toBe(5);
    expect(list.stderr).toContain(`${id}.json`);
    expect(list.stderr).toMatch(/field "status"/);
    expect(sb.run(['post', 'edit', id, '--title', 'Overwrite?']).code).toBe(5);
    expect(readFileSync(file, 'utf8')).toBe(broken);
    writeFileSync(file, '{ "id": ');
    const truncated = sb.run(['post', 'show', id]);
    expect(truncated.code).toBe(5);
    expect(truncated.stderr).toMatch(/not valid JSON/);
  });

  it('refuses a blog from a newer termpress', () => {
    const settingsFile = path.join(blog, 'termpress.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    writeFileSync(settingsFile, JSON.stringify({ ...settings, schemaVersion: 99 }));
    const result = sb.run(['post', 'list']);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/schemaVersion 99.*upgrade termpress/);
  });

  it('post list reads the index, not every post file, and notices a changed file', () => {
    const id = create('--title', 'Indexed');
    sb.ok(['post', 'list']);
    const indexFile = path.join(blog, '.termpress', 'index.json');
    const index = JSON.parse(readFileSync(indexFile, 'utf8'));
    index.posts[id].summary.title = 'From the index';
    writeFileSync(indexFile, JSON.stringify(index));
    expect(sb.ok(['post', 'list', '--format', 'jsonl', '--fields', 'title'])).toBe('{"title":"From the index"}\n');
    // A change to the file (as a git pull makes) is seen by its size and time.
    const file = path.join(blog, 'posts', `${id}.json`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Indexed"', '"Pulled"'));
    const later = new Date(statSync(file).mtimeMs + 5000);
    utimesSync(file, later, later);
    expect(sb.ok(['post', 'list', '--format', 'jsonl', '--fields', 'title'])).toBe('{"title":"Pulled"}\n');
  });
});

describe('finding the blog', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.cleanup());

  it('uses the nearest termpress.json upward from the working folder', () => {
    const blog = path.join(sb.cwd, 'site');
    sb.ok(['init', blog]);
    const deep = path.join(blog, 'posts');
    const id = sb.ok(['post', 'create', '--title', 'Found', '--porcelain'], { cwd: deep }).trim();
    expect(existsSync(path.join(blog, 'posts', `${id}.json`))).toBe(true);
  });

  it('--blog wins over TERMPRESS_BLOG, and a missing one is exit 3', () => {
    const a = path.join(sb.cwd, 'a');
    const b = path.join(sb.cwd, 'b');
    sb.ok(['init', a]);
    sb.ok(['init', b]);
    sb.ok(['--blog', b, 'post', 'create', '--title', 'In b'], { env: { TERMPRESS_BLOG: a } });
    expect(readdirSync(path.join(b, 'posts'))).toHaveLength(1);
    expect(readdirSync(path.join(a, 'posts'))).toHaveLength(0);
    const missing = sb.run(['--blog', path.join(sb.cwd, 'nope'), 'post', 'list']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/termpress init/);
  });

  it('creates the default blog on the first write, so a new user can start at once', () => {
    expect(sb.ok(['post', 'list', '--format', 'count'])).toBe('0\n');
    expect(existsSync(path.join(sb.home, 'blog'))).toBe(false);
    sb.ok(['config', '--global', 'set', 'author.name', 'Grace']);
    const id = sb.ok(['post', 'create', '--title', 'First', '--porcelain']).trim();
    const post = JSON.parse(readFileSync(path.join(sb.home, 'blog', 'posts', `${id}.json`), 'utf8'));
    expect(post.author).toBe('Grace');
  });
});

describe('termpress config and doctor', () => {
  let sb: Sandbox;
  let blog: string;
  beforeEach(() => {
    sb = new Sandbox();
    blog = sb.initBlog();
  });
  afterEach(() => sb.cleanup());

  it('reads, writes and validates blog settings', () => {
    sb.ok(['config', 'set', 'title', 'My notes']);
    expect(sb.ok(['config', 'get', 'title'])).toBe('My notes\n');
    sb.ok(['config', 'set', 'moderation.holdWords', 'casino, pills']);
    expect(sb.ok(['config', 'get', 'moderation.holdWords'])).toBe('["casino","pills"]\n');
    sb.ok(['config', 'set', 'moderation.maxLinks', '3']);
    expect(JSON.parse(readFileSync(path.join(blog, 'termpress.json'), 'utf8')).moderation.maxLinks).toBe(3);
    sb.ok(['config', 'unset', 'moderation.maxLinks']);
    expect(sb.ok(['config', 'get', 'moderation.maxLinks'])).toBe('2\n');
    const before = readFileSync(path.join(blog, 'termpress.json'), 'utf8');
    for (const args of [
      ['set', 'nope', 'x'],
      ['set', 'timezone', 'Mars/Olympus'],
      ['set', 'postsPerPage', 'ten'],
      ['set', 'moderation.maxLinks', '-1'],
      ['set', 'url', 'not a url'],
    ]) {
      const result = sb.run(['config', ...args]);
      expect([args, result.code]).toEqual([args, 2]);
    }
    expect(readFileSync(path.join(blog, 'termpress.json'), 'utf8')).toBe(before);
    for (const [key, value, message] of [
      ['timezone', 'Mars/Olympus', 'The timezone "Mars/Olympus" is not a known IANA zone such as Europe/Paris, America/New_York or UTC.'],
      ['notify.email', 'moderator', 'notify.email needs the moderator\'s email address, not "moderator".'],
      ['notify.webhook', 'ftp://hooks.example/x', 'notify.webhook needs an absolute http(s) address, not "ftp://hooks.example/x".'],
      [
        'notify.smtp',
        'mail.example:25',
        'notify.smtp needs the mail server as smtp://host:587 or smtps://user:password@host:465, not "mail.example:25".',
      ],
    ]) {
      expect(sb.run(['config', 'set', key!, value!])).toMatchObject({ code: 2, stderr: `error: ${message}\n` });
    }
    expect(readFileSync(path.join(blog, 'termpress.json'), 'utf8')).toBe(before);
    for (const [key, value] of [
      ['notify.email', 'mod@example.com'],
      ['notify.webhook', 'https://hooks.example/x'],
      ['notify.smtp', 'smtp://mail.example:587'],
    ]) {
      sb.ok(['config', 'set', key!, value!]);
      expect(sb.ok(['config', 'get', key!])).toBe(`${value}\n`);
    }
    const all = JSON.parse(sb.ok(['config', 'list', '--json']));
    expect(all).toMatchObject({ title: 'My notes', 'moderation.floodSeconds': 15 });
  });

  it('keeps user settings apart with --global', () => {
    sb.ok(['config', '--global', 'set', 'author.email', 'ada@example.com']);
    expect(sb.ok(['config', '--global', 'get', 'author.email'])).toBe('ada@example.com\n');
    expect(sb.run(['config', '--global', 'set', 'author.email', 'nope']).code).toBe(2);
    expect(sb.run(['config', '--global', 'get', 'colour']).code).toBe(2);
    expect(sb.run(['config', '--global', 'get', 'editor']).code).toBe(3);
  });

  it('doctor says a clean blog is clean, and finds and repairs damage', () => {
    const id = sb.ok(['post', 'create', '--title', 'Orphans', '--porcelain']).trim();
    expect(sb.run(['doctor']).code).toBe(0);
    const file = path.join(blog, 'posts', `${id}.json`);
    const post = JSON.parse(readFileSync(file, 'utf8'));
    post.comments = [
      {
        id: 'c0000001',
        parentId: 'gne00000',
        author: 'R',
        email: 'r@example.com',
        url: '',
        ip: '',
        userAgent: '',
        body: 'hi',
        status: 'approved',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        type: 'comment',
        reasons: [],
      },
    ];
    writeFileSync(file, JSON.stringify(post, null, 2));
    writeFileSync(path.join(blog, 'posts', `${id}.json.123456`), '{');
    const report = sb.run(['doctor']);
    expect(report.code).toBe(5);
    expect(report.stdout).toMatch(/comment c0000001 replies to comment gne00000/);
    expect(report.stderr).toMatch(
      /note: blog\/posts\/\w+\.json\.123456: leftover temporary file from an interrupted write \(termpress doctor --fix will remove it\)/,
    );
    const fixed = sb.run(['doctor', '--fix']);
    expect(fixed.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).comments[0].parentId).toBeNull();
    expect(existsSync(path.join(blog, 'posts', `${id}.json.123456`))).toBe(false);
    expect(readdirSync(path.join(blog, '.termpress', 'backups'))).toHaveLength(1);
    expect(sb.run(['doctor']).code).toBe(0);
  });
});
