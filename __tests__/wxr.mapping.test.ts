/** The mappings of issue 6 on built WXR documents: statuses, passwords, threads, comment statuses and types, skips. */
import { rmSync } from 'node:fs';
import { importWxr, type WxrImportOptions } from '../src/wxr/index.js';
import { tempDir, writeTemp, wxrDocument, wxrItem, type DocumentSpec, type ItemSpec } from './fixtures/wxr/build-wxr.js';
import { MemoryTarget } from './fixtures/wxr/memory-target.js';

const OPTIONS: WxrImportOptions = { timezone: 'Europe/Paris', now: new Date('2025-03-01T12:00:00.000Z') };
const dir = tempDir('wxr-mapping');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
async function importItems(items: ItemSpec[], doc: DocumentSpec = {}, options: Partial<WxrImportOptions> = {}) {
  const file = writeTemp(
    dir,
    `doc-${(counter += 1)}.xml`,
    wxrDocument(
      items.map((i) => wxrItem(i, doc.wp)),
      doc,
    ),
  );
  const target = new MemoryTarget();
  const report = await importWxr(file, target, { ...OPTIONS, ...options });
  return { target, report, file };
}

describe('post statuses', () => {
  test.each([
    ['publish', 'published', '2021-05-04T10:00:00.000Z'],
    ['future', 'scheduled', '2021-05-04T10:00:00.000Z'],
    ['draft', 'draft', null],
    ['auto-draft', 'draft', null],
    ['pending', 'pending', null],
    ['private', 'draft', null],
    ['trash', 'trash', null],
  ])('%s -> %s', async (wpStatus, status, publishedAt) => {
    const { target } = await importItems([{ id: 1, status: wpStatus }]);
    expect(target.posts[0]).toMatchObject({ status, publishedAt });
  });

  test('an unknown status is a draft, with a warning', async () => {
    const { target, report } = await importItems([{ id: 1, status: 'inherit' }]);
    expect(target.posts[0]?.status).toBe('draft');
    expect(report.warnings).toEqual(['post 1 "Post 1": unknown status "inherit", imported as a draft']);
  });

  test('password-protected posts never become public: imported as drafts, and the report says so', async () => {
    const { target, report } = await importItems([
      { id: 1, status: 'publish', password: 'secret' },
      { id: 2, status: 'future', password: 'secret' },
      { id: 3, status: 'trash', password: 'secret', meta: [['_wp_trash_meta_status', 'publish']] },
    ]);
    expect(target.posts.map((p) => [p.status, p.publishedAt, p.previousStatus])).toEqual([
      ['draft', null, undefined],
      ['draft', null, undefined],
      ['trash', null, 'draft'],
    ]);
    expect(report.posts).toMatchObject({ draft: 2, trash: 1, published: 0 });
    expect(report.warnings).toEqual([
      'post 1 "Post 1": password-protected, imported as a draft so that it does not become public',
      'post 2 "Post 2": password-protected, imported as a draft so that it does not become public',
    ]);
  });

  test('a trashed post gets back its real slug and previous status from WordPress meta', async () => {
    const { target } = await importItems([
      {
        id: 7,
        status: 'trash',
        name: 'my-post__trashed',
        meta: [
          ['_wp_trash_meta_status', 'draft'],
          ['_wp_desired_post_slug', 'my-post'],
        ],
      },
    ]);
    expect(target.posts[0]).toMatchObject({ slug: 'my-post', status: 'trash', previousStatus: 'draft', publishedAt: null });
    expect(target.posts[0]?.legacy?.['meta']).toBeUndefined();
  });
});

describe('post fields', () => {
  test('sticky, closed comments, author display names and a fallback author', async () => {
    const { target } = await importItems(
      [
        { id: 1, sticky: true, commentStatus: 'closed', creator: 'jdoe' },
        { id: 2, creator: 'ghost' },
        { id: 3, creator: '' },
      ],
      { authors: [['jdoe', 'Jane &amp; John Doe']] },
      { author: 'Blog Owner' },
    );
    expect(target.posts.map((p) => [p.sticky, p.commentStatus, p.author])).toEqual([
      [true, 'closed', 'Jane & John Doe'],
      [false, 'open', 'ghost'],
      [false, 'open', 'Blog Owner'],
    ]);
  });

  test('GMT dates first, then local dates in the blog timezone, then the RSS pubDate', async () => {
    const { target } = await importItems([
      { id: 1, date: '2021-07-01 12:00:00', dateGmt: '2021-07-01 10:00:00' },
      { id: 2, date: '2021-07-01 12:00:00', dateGmt: '0000-00-00 00:00:00' },
      { id: 3, date: '2021-12-01 12:00:00', dateGmt: '0000-00-00 00:00:00', status: 'draft' },
    ]);
    expect(target.posts.map((p) => p.createdAt)).toEqual([
      '2021-07-01T10:00:00.000Z',
      '2021-07-01T10:00:00.000Z', // CEST, UTC+2
      '2021-12-01T11:00:00.000Z', // CET, UTC+1
    ]);
  });

  test('slugs: percent-decoded, empty ones made from the title, numeric ones prefixed', async () => {
    const { target } = await importItems([
      { id: 1, name: '%c3%a9t%c3%a9-%f0%9f%8c%9e' },
      { id: 2, name: '', title: 'Ça va, Zoë?' },
      { id: 3, name: '', title: '' },
      { id: 4, name: '2021' },
    ]);
    expect(target.posts.map((p) => p.slug)).toEqual(['été-🌞', 'ca-va-zoe', 'post-3', 'post-2021']);
  });

  test('entities in titles and term names are decoded; tags in both styles; custom terms kept', async () => {
    const { target } = await importItems([
      {
        id: 1,
        title: 'Tom &amp; Jerry &#8211; &quot;live&quot;',
        terms: [
          [null, 'News &amp; Views'],
          ['category', 'News &amp; Views', 'news-views'],
          ['tag', 'old-style'],
          ['post_tag', 'new-style'],
          ['series', 'Part 1', 'part-1'],
        ],
      },
    ]);
    expect(target.posts[0]).toMatchObject({
      title: 'Tom & Jerry \u2013 "live"',
      categories: ['News & Views'],
      tags: ['old-style', 'new-style'],
      legacy: expect.objectContaining({ terms: [{ taxonomy: 'series', slug: 'part-1', name: 'Part 1' }] }),
    });
  });

  test('another namespace URI and prefix for the wp vocabulary read the same', async () => {
    const { target, report } = await importItems([{ id: 1 }], { wp: 'wordpress', wpUri: 'https://wordpress.org/export/1.1/' });
    expect(report).toMatchObject({ wxrVersion: '1.2', imported: 1 });
    expect(target.posts[0]?.legacy?.['wpPostId']).toBe('1');
  });
});

describe('comments', () => {
  test('statuses and types: 1, 0, spam, trash, post-trashed; pingback and trackback', async () => {
    const { target, report } = await importItems([
      {
        id: 1,
        comments: [
          { id: 1, approved: '1' },
          { id: 2, approved: '0' },
          { id: 3, approved: 'spam' },
          { id: 4, approved: 'trash' },
          { id: 5, approved: 'post-trashed', meta: [['_wp_trash_meta_status', '1']] },
          { id: 6, type: 'pingback' },
          { id: 7, type: 'trackback' },
          { id: 8, type: 'comment' },
        ],
      },
    ]);
    const comments = target.posts[0]?.comments ?? [];
    expect(comments.map((c) => [c.status, c.type])).toEqual([
      ['approved', 'comment'],
      ['pending', 'comment'],
      ['spam', 'comment'],
      ['trash', 'comment'],
      ['approved', 'comment'],
      ['approved', 'pingback'],
      ['approved', 'trackback'],
      ['approved', 'comment'],
    ]);
    expect(report.comments).toEqual({ approved: 5, pending: 1, spam: 1, trash: 1 });
    expect(comments[0]).toMatchObject({ email: 'r1@example.test', ip: '10.0.0.1', reasons: ['imported from WordPress'] });
  });

  test('threads of any depth, children before their parents, and a reply to a missing comment', async () => {
    const { target, report } = await importItems([
      {
        id: 1,
        comments: [
          { id: 14, parent: 13 },
          { id: 10 },
          { id: 11, parent: 10 },
          { id: 12, parent: 11 },
          { id: 13, parent: 12 },
          { id: 15, parent: 99 },
        ],
      },
    ]);
    const comments = target.posts[0]?.comments ?? [];
    const byWp = new Map(comments.map((c) => [c.legacy?.['wpCommentId'], c]));
    const parentOf = (wp: string) => {
      const parent = byWp.get(wp)?.parentId;
      return parent === null ? null : comments.find((c) => c.id === parent)?.legacy?.['wpCommentId'];
    };
    expect(['14', '10', '11', '12', '13', '15'].map(parentOf)).toEqual(['13', null, '10', '11', '12', null]);
    expect(new Set(comments.map((c) => c.id)).size).toBe(6);
    expect(report.warnings).toEqual([
      'post 1 "Post 1": comment 15 replies to comment 99, which is not in the post; imported as a top-level comment',
    ]);
  });
});

describe('skipped items', () => {
  test('menus, custom types, items without a type, and repeated items are counted, never imported; pages and attachments are taken', async () => {
    const { target, report } = await importItems([
      { id: 1 },
      { id: 2, type: 'page' },
      { id: 3, type: 'attachment' },
      { id: 4, type: 'nav_menu_item' },
      { id: 5, type: 'product' },
      { id: 6, type: 'wp_block' },
      { id: 7, type: null },
      { id: 1 },
      { id: 8, guid: null },
    ]);
    expect(report).toMatchObject({
      items: 9,
      imported: 3,
      media: { imported: 1, present: 0 },
      skipped: { nav_menu_item: 1, 'custom:product': 1, wp_block: 1, partial: 1, duplicate: 1 },
    });
    expect(target.posts.map((p) => p.legacy?.['key'])).toEqual([
      'wxr:http://example.test#1',
      'wxr:http://example.test#2',
      'wxr:http://example.test#8',
    ]);
    expect(target.media.map((m) => m.legacy?.['key'])).toEqual(['wxr:http://example.test#3']);
    expect(report.warnings).toEqual(['post 1 "Post 1": appears more than once in the file; imported once']);
  });

  test('posts reach the target in batches', async () => {
    const items = Array.from({ length: 450 }, (_, i) => ({ id: i + 1 }));
    const { target, report } = await importItems(items);
    expect(report.imported).toBe(450);
    expect(target.batches).toEqual([200, 200, 50]);
  });
});

describe('identity: an item is its blog and WordPress id, never its guid alone', () => {
  test('two posts sharing a guid are two posts, and importing the file again adds nothing', async () => {
    const guid = 'http://example.test/?p=1';
    const { target, report, file } = await importItems([
      { id: 1, title: 'Original', guid },
      { id: 2, title: 'Copied from the original', guid },
      { id: 3, title: 'No guid at all', guid: null },
    ]);
    expect(report).toMatchObject({ items: 3, imported: 3, skipped: {} });
    expect(target.posts.map((p) => [p.title, p.legacy?.['guid'], p.legacy?.['key']])).toEqual([
      ['Original', guid, 'wxr:http://example.test#1'],
      ['Copied from the original', guid, 'wxr:http://example.test#2'],
      ['No guid at all', '', 'wxr:http://example.test#3'],
    ]);
    const again = await importWxr(file, target, OPTIONS);
    expect(again).toMatchObject({ imported: 0, skipped: { present: 3 } });
    expect(target.posts).toHaveLength(3);
  });

  test('a post imported by an earlier termpress (keyed by its guid) is still recognised', async () => {
    const { target, file } = await importItems([{ id: 7, title: 'Old' }]);
    const post = target.posts[0]!;
    post.legacy = { ...post.legacy, key: 'wxr:http://example.test/?p=7' };
    const again = await importWxr(file, target, OPTIONS);
    expect(again).toMatchObject({ imported: 0, skipped: { present: 1 } });
  });

  test('the same post ids from two blogs of one multisite network are different posts', async () => {
    const item = wxrItem({ id: 5 });
    const one = writeTemp(
      dir,
      'site-a.xml',
      wxrDocument([item]).replace('<title>Test blog</title>', '<title>A</title><wp:base_blog_url>http://example.test/a</wp:base_blog_url>'),
    );
    const two = writeTemp(
      dir,
      'site-b.xml',
      wxrDocument([item]).replace('<title>Test blog</title>', '<title>B</title><wp:base_blog_url>http://example.test/b</wp:base_blog_url>'),
    );
    const target = new MemoryTarget();
    await importWxr(one, target, OPTIONS);
    expect(await importWxr(two, target, OPTIONS)).toMatchObject({ imported: 1 });
    expect(target.posts.map((p) => p.legacy?.['key'])).toEqual(['wxr:http://example.test/a#5', 'wxr:http://example.test/b#5']);
  });
});
