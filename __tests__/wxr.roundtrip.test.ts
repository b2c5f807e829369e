/** Round trips: exportWxr -> importWxr and exportJson -> importJson compared field by field; the Markdown export. */
import { createWriteStream, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../src/core/errors.js';
import type { Post } from '../src/core/types.js';
import { exportJson, exportMarkdown, importJson, importWxr, type WxrImportOptions } from '../src/wxr/index.js';
import { tempDir } from './fixtures/wxr/build-wxr.js';
import { matter } from './helpers/front-matter.js';
import { fixture, MemoryTarget } from './fixtures/wxr/memory-target.js';
import { comparable, nativePosts, post, SETTINGS, writeWxr as writeWxrFile } from './fixtures/wxr/native-posts.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const WXR_OPTIONS: WxrImportOptions = { timezone: SETTINGS.timezone, now: NOW };
const dir = tempDir('wxr-roundtrip');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writeWxr = (posts: Post[], name: string): Promise<string> => writeWxrFile(posts, path.join(dir, name));

describe('exportWxr -> importWxr', () => {
  test('termpress posts come back field by field', async () => {
    const original = nativePosts();
    const file = await writeWxr(original, 'native.xml');
    const target = new MemoryTarget();
    const report = await importWxr(file, target, WXR_OPTIONS);
    expect(report).toMatchObject({
      wxrVersion: '1.2',
      items: 6,
      imported: 6,
      posts: { published: 1, draft: 1, scheduled: 1, pending: 1, trash: 2 },
      comments: { approved: 5, pending: 1, spam: 1, trash: 1 },
      skipped: {},
      warnings: [],
    });
    for (const before of original) {
      const after = target.posts.find((p) => p.legacy?.['termpressId'] === before.id);
      expect(after).toBeDefined();
      expect(comparable(after as Post)).toEqual(comparable(before));
      expect(after?.revision).toBe(1);
    }
  });

  test('the file is WordPress-shaped: HTML for markdown posts, WordPress statuses, trash status meta, escaped titles', async () => {
    const text = readFileSync(await writeWxr(nativePosts(), 'shape.xml'), 'utf8');
    expect(text).toContain('<wp:wxr_version>1.2</wp:wxr_version>');
    expect(text).toContain(
      '<content:encoded><![CDATA[<h1>Heading</h1>\n<p>Some <em>markdown</em> with a ]]&gt; inside, emoji 🚀 and <code>code</code>.</p>\n]]></content:encoded>',
    );
    expect(text).toContain('<excerpt:encoded><![CDATA[An excerpt with ]]]]><![CDATA[> and <tags>]]></excerpt:encoded>');
    expect(text).toContain(
      '<title><![CDATA[Tom &amp;amp; Jerry &lt;b&gt;not bold&lt;/b&gt; &quot;quoted&quot; &#039;single&#039;]]></title>',
    );
    expect(text).toContain('<wp:status><![CDATA[future]]></wp:status>');
    expect(text).toContain(
      '<wp:meta_key><![CDATA[_wp_trash_meta_status]]></wp:meta_key>\n\t\t\t<wp:meta_value><![CDATA[publish]]></wp:meta_value>',
    );
    expect(text).toContain('<wp:post_name><![CDATA[%e6%97%a5%e6%9c%ac%e8%aa%9e%e3%83%86%e3%82%b9%e3%83%88]]></wp:post_name>');
    expect(text).toContain('<wp:comment_approved><![CDATA[spam]]></wp:comment_approved>');
    expect(text).toContain('<wp:is_sticky>1</wp:is_sticky>');
    // Two authors whose names slugify alike get distinct logins.
    expect(text).toContain('<wp:author_login><![CDATA[grace-hopper]]></wp:author_login>');
    expect(text).toContain('<wp:author_login><![CDATA[grace-hopper-2]]></wp:author_login>');
    expect(text).toContain('<title>Café &amp; &quot;Co&quot; &lt;blog&gt;</title>');
  });

  test('posts imported from WordPress go back out with their guids, ids, meta and terms, and come back the same', async () => {
    const first = new MemoryTarget();
    await importWxr(fixture('export-1.2.xml'), first, WXR_OPTIONS);
    await importWxr(fixture('trash-1.2.xml'), first, WXR_OPTIONS);
    const file = await writeWxr(first.posts, 'reexport.xml');
    const second = new MemoryTarget();
    const report = await importWxr(file, second, WXR_OPTIONS);
    expect(report.imported).toBe(first.posts.length);
    for (const before of first.posts) {
      const after = second.posts.find((p) => p.legacy?.['termpressId'] === before.id);
      expect(comparable(after as Post)).toEqual(comparable(before));
      for (const key of ['key', 'guid', 'authorLogin', 'meta', 'terms', 'link', 'password']) {
        expect([key, after?.legacy?.[key]]).toEqual([key, before.legacy?.[key]]);
      }
    }
    // WordPress ids are kept where they stay unique; both sites had a post 10, so the second one is renumbered
    // past the highest id of either (19). Pages (2, 3 and 5) go out and come back as pages.
    expect(second.posts.map((p) => p.legacy?.['wpPostId'])).toEqual([
      '2',
      '10',
      '11',
      '12',
      '13',
      '14',
      '5',
      '20',
      '16',
      '17',
      '18',
      '19',
      '3',
    ]);
    expect(second.posts.filter((p) => p.type === 'page').map((p) => p.legacy?.['wpPostId'])).toEqual(['2', '5', '3']);
  });

  test("importing a blog's own export back into it adds nothing", async () => {
    const blog = new MemoryTarget();
    blog.posts = nativePosts();
    await importWxr(fixture('wxr-1.1-crlf.xml'), blog, WXR_OPTIONS);
    const file = await writeWxr(blog.posts, 'self.xml');
    const report = await importWxr(file, blog, WXR_OPTIONS);
    expect(report).toMatchObject({ imported: 0, skipped: { present: 8 } });
    const again = new MemoryTarget();
    await importWxr(file, again, WXR_OPTIONS);
    expect((await importWxr(file, again, WXR_OPTIONS)).skipped).toEqual({ present: 8 });
  });

  test('characters XML cannot carry are dropped so the file stays readable', async () => {
    const file = await writeWxr([post('ctrl0001', { body: 'bell\u0007 and nul\u0000 and \uFFFF end' })], 'ctrl.xml');
    const target = new MemoryTarget();
    await importWxr(file, target, WXR_OPTIONS);
    expect(target.posts[0]?.body).toBe('bell and nul and  end');
  });
});

describe('exportJson -> importJson', () => {
  async function writeJson(posts: Post[], name: string): Promise<string> {
    const file = path.join(dir, name);
    await pipeline(exportJson(posts, SETTINGS), createWriteStream(file));
    return file;
  }

  test('a backup imported into an empty blog gives the same blog back, settings included', async () => {
    const wordpress = new MemoryTarget();
    await importWxr(fixture('trash-1.2.xml'), wordpress, WXR_OPTIONS);
    const original = [...nativePosts(), ...wordpress.posts];
    const file = await writeJson(original, 'backup.json');
    const target = new MemoryTarget();
    const report = await importJson(file, target, { now: NOW });
    expect(report).toMatchObject({ format: 'json', items: original.length, imported: original.length, skipped: {}, warnings: [] });
    expect(report.settings).toEqual(SETTINGS);
    expect(target.posts).toEqual(original);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'termpress', schemaVersion: 1, posts: original });

    const again = await importJson(file, target, { now: NOW });
    expect(again).toMatchObject({ imported: 0, skipped: { present: original.length } });
  });

  test('an empty blog and a hand-formatted backup both read', async () => {
    const empty = await writeJson([], 'empty.json');
    expect(JSON.parse(readFileSync(empty, 'utf8'))).toEqual({ format: 'termpress', schemaVersion: 1, settings: SETTINGS, posts: [] });
    expect((await importJson(empty, new MemoryTarget(), { now: NOW })).imported).toBe(0);
    const pretty = path.join(dir, 'pretty.json');
    writeFileSync(pretty, JSON.stringify({ format: 'termpress', schemaVersion: 1, posts: nativePosts() }, null, 2));
    const target = new MemoryTarget();
    expect((await importJson(pretty, target, { now: NOW })).imported).toBe(6);
    expect(target.posts).toEqual(nativePosts());
  });

  test('a damaged backup is refused whole, naming the post and field', async () => {
    const file = await writeJson(nativePosts(), 'damaged.json');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[4] = (lines[4] ?? '').replace('"status":"pending"', '"status":"lost"');
    writeFileSync(file, lines.join('\n'));
    const target = new MemoryTarget();
    await expect(importJson(file, target, { now: NOW })).rejects.toThrow(/post 4 \(line 5\) is invalid at status: .*nothing was imported/);
    expect(target.batches).toEqual([]);

    writeFileSync(file, lines.slice(0, 3).join('\n'));
    await expect(importJson(file, target, { now: NOW })).rejects.toThrow(/damaged\.json:3: the file ends inside the post list/);
    writeFileSync(file, `${lines.slice(0, 3).join('\n')}\n{"id": oops}\n]}\n`);
    await expect(importJson(file, target, { now: NOW })).rejects.toThrow(/damaged\.json:4: not valid JSON/);
    expect(target.batches).toEqual([]);
  });

  test('other files are refused: a WXR file, a newer schema', async () => {
    await expect(importJson(fixture('slashes.xml'), new MemoryTarget(), { now: NOW })).rejects.toThrow(UsageError);
    const newer = path.join(dir, 'newer.json');
    writeFileSync(newer, '{"format":"termpress","schemaVersion":2,"posts":[\n]}\n');
    await expect(importJson(newer, new MemoryTarget(), { now: NOW })).rejects.toThrow(/newer termpress \(schemaVersion 2/);
  });
});

describe('exportMarkdown', () => {
  test('one file per post, front matter with the approved comments only and no private fields', async () => {
    const wordpress = new MemoryTarget();
    await importWxr(fixture('trash-1.2.xml'), wordpress, WXR_OPTIONS);
    const posts = [...nativePosts(), wordpress.bySlug('hello-from-the-quay')];
    const out = path.join(dir, 'markdown');
    const files = await exportMarkdown(posts, SETTINGS, out);
    expect(files).toHaveLength(7);
    expect(readdirSync(out).sort()).toEqual(
      [
        'hello-markdown.md',
        'hello-from-the-quay.html',
        'post-pend0001.html',
        'post-sched001.html',
        'post-trash001.html',
        'post-trash002.html',
        '日本語テスト.html',
      ].sort(),
    );
    const md = matter(readFileSync(path.join(out, 'hello-markdown.md'), 'utf8'));
    expect(md.content).toBe('# Heading\n\nSome *markdown* with a ]]> inside, emoji 🚀 and `code`.\n');
    expect(md.data).toMatchObject({
      title: 'Tom &amp; Jerry <b>not bold</b> "quoted" \'single\'',
      slug: 'hello-markdown',
      date: '2024-01-01T10:00:00.000+01:00',
      lastmod: '2024-01-02T10:30:00.456+01:00',
      draft: false,
      status: 'published',
      author: 'Ada Lovelace',
      categories: ['News & Views', 'Café'],
      tags: ['été', 'a "quoted" tag', 'C++'],
      excerpt: 'An excerpt with ]]> and <tags>',
      sticky: true,
      comments: 'open',
      id: 'mdpxst01',
      format: 'markdown',
    });
    expect(md.data).not.toHaveProperty('commentStatus');
    const comments = md.data['approvedComments'] as Record<string, unknown>[];
    expect(comments.map((c) => c['id'])).toEqual(['c0000001', 'c0000002', 'c0000003', 'c0000007', 'c0000008']);
    expect(comments[1]).toEqual({
      id: 'c0000002',
      parent: 'c0000001',
      author: "O'Brien & <Sons>",
      date: '2024-02-03T05:05:06.789+01:00',
      type: 'comment',
      body: 'Comment c0000002',
    });
    expect(JSON.stringify(comments)).not.toMatch(/@example\.test|192\.0\.2\.7|Mozilla/);

    const draft = matter(readFileSync(path.join(out, '日本語テスト.html'), 'utf8'));
    // A draft without a date has an empty one: dated by its creation, it would come back to be published back-dated.
    expect(draft.data).toMatchObject({ draft: true, status: 'draft', date: null, comments: 'closed' });
    const imported = matter(readFileSync(path.join(out, 'hello-from-the-quay.html'), 'utf8'));
    expect(imported.data['aliases']).toEqual(['/blog/2019/07/21/hello-from-the-quay/']);
  });
});
