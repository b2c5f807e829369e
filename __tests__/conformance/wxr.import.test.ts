/** Importing every real-world WordPress export of the testdata folder: exact counts and fields, counted by hand from the files. */
import { pagePaths } from '../../src/core/pages.js';
import { importWxr, type ImportReport, type WxrImportOptions } from '../../src/wxr/index.js';
import { MemoryTarget } from '../fixtures/wxr/memory-target.js';
import { sample } from './testdata.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const OPTIONS: WxrImportOptions = { timezone: 'America/New_York', now: NOW };

async function load(name: string, options: Partial<WxrImportOptions> = {}): Promise<{ target: MemoryTarget; report: ImportReport }> {
  const target = new MemoryTarget();
  const report = await importWxr(sample(name), target, { ...OPTIONS, ...options });
  return { target, report };
}

const none = { draft: 0, pending: 0, scheduled: 0, published: 0, trash: 0 };
const noComments = { pending: 0, approved: 0, spam: 0, trash: 0 };

describe('importWxr on the WordPress samples', () => {
  test('valid-wxr-1.0.xml: WXR 1.0, no wp:author, 1.0-style categories and domain="tag"', async () => {
    const { target, report } = await load('valid-wxr-1.0.xml');
    expect(report).toMatchObject({
      format: 'wxr',
      dryRun: false,
      wxrVersion: '1.0',
      site: 'http://localhost/',
      items: 6,
      imported: 6,
      posts: { ...none, published: 3 },
      pages: { ...none, published: 3 },
      categories: { imported: 5, present: 0 },
      tags: { imported: 4, present: 0 },
      comments: { ...noComments, approved: 1 },
      skipped: {},
      warnings: [],
    });
    expect(target.posts.filter((p) => p.type !== 'page').map((p) => p.slug)).toEqual(['hello-world', 'alpha-post', 'child-post']);
    // The pages come in with their tree: "Child" sits under "Parent".
    const pages = target.posts.filter((p) => p.type === 'page');
    const paths = pagePaths(pages);
    expect(pages.map((p) => paths.get(p.id)!.join('/'))).toEqual(['about', 'parent-page/child-post', 'parent-page']);
    expect(target.terms.categories.filter((c) => c.parent !== null).map((c) => [c.slug, c.parent])).toEqual([['child', 'parent']]);
    const hello = target.bySlug('hello-world');
    expect(hello).toMatchObject({
      title: 'Hello world!',
      author: 'admin',
      status: 'published',
      categories: ['Uncategorized'],
      tags: [],
      excerpt: '',
      body: 'Welcome to WordPress. This is your first post. Edit or delete it, then start blogging!',
      format: 'html',
      createdAt: '2010-10-20T14:08:20.000Z',
      updatedAt: '2010-10-20T14:08:20.000Z',
      publishedAt: '2010-10-20T14:08:20.000Z',
      commentStatus: 'open',
      sticky: false,
      revision: 1,
    });
    expect(hello.id).toMatch(/^[0-9a-hjkmnp-tv-z]{8}$/);
    expect(hello.legacy).toMatchObject({
      source: 'wxr',
      key: 'wxr:http://localhost#1',
      guid: 'http://localhost/?p=1',
      wpPostId: '1',
      site: 'http://localhost/',
      authorLogin: 'admin',
      importedAt: NOW.toISOString(),
    });
    expect(hello.comments).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-z]{8}$/),
        parentId: null,
        author: 'Mr WordPress',
        email: '',
        url: 'http://wordpress.org/',
        ip: '',
        userAgent: '',
        body: 'Hi, this is a comment.<br />To delete a comment, just log in and view the post&#039;s comments. There you will have the option to edit or delete them.',
        status: 'approved',
        createdAt: '2010-10-20T14:08:20.000Z',
        updatedAt: '2010-10-20T14:08:20.000Z',
        type: 'comment',
        reasons: ['imported from WordPress'],
        legacy: { wpCommentId: '1' },
      },
    ]);
    // Bare <category> and domain="category" name the same category once; domain="tag" is a tag.
    expect(target.bySlug('alpha-post')).toMatchObject({ categories: ['alpha'], tags: ['news', 'roar'] });
    expect(target.bySlug('child-post')).toMatchObject({ categories: ['child'], tags: ['chicken', 'face'] });
  });

  test('valid-wxr-1.1.xml: CRLF file, author display name, custom taxonomy kept under legacy', async () => {
    const { target, report } = await load('valid-wxr-1.1.xml');
    expect(report).toMatchObject({
      wxrVersion: '1.1',
      items: 2,
      imported: 2,
      posts: { ...none, published: 1 },
      pages: { ...none, published: 1 },
      comments: { ...noComments, approved: 1 },
      skipped: {},
      warnings: [],
    });
    const [post] = target.posts;
    expect(post).toMatchObject({
      slug: 'hello-world',
      author: 'John Doe',
      categories: ['alpha'],
      tags: ['Clippable'],
      createdAt: '2010-10-16T20:53:18.000Z',
    });
    expect(post?.legacy).toMatchObject({ authorLogin: 'john', terms: [{ taxonomy: 'post_tax', slug: 'bieup', name: 'bieup' }] });
    expect(post?.comments[0]?.body).toContain('<br />');
    expect(post?.comments[0]?.body).not.toContain('\r');
  });

  test('small-export.xml: 3 authors, private post as draft, many categories, post format', async () => {
    const { target, report } = await load('small-export.xml');
    expect(report).toMatchObject({
      wxrVersion: '1.1',
      items: 11,
      imported: 11,
      posts: { ...none, published: 5, draft: 1 },
      pages: { ...none, published: 4, draft: 1 },
      categories: { imported: 30, present: 0 },
      tags: { imported: 3, present: 0 },
      comments: { ...noComments, approved: 1 },
      skipped: {},
      warnings: ['post 13 "Private Post": private in WordPress, imported as a draft'],
    });
    const pages = target.posts.filter((p) => p.type === 'page');
    const paths = pagePaths(pages);
    expect(pages.map((p) => [paths.get(p.id)!.join('/'), p.status])).toEqual([
      ['sample-page', 'published'],
      ['parent-page/child-page', 'published'],
      ['parent-page', 'published'],
      ['draft-page', 'draft'],
      ['1-col-page', 'published'],
    ]);
    expect(target.posts.filter((p) => p.type !== 'page').map((p) => [p.slug, p.author, p.status])).toEqual([
      ['hello-world', 'author', 'published'],
      ['private-post', 'admin', 'draft'],
      ['foo-child', 'editor', 'published'],
      ['top-level-foo', 'admin', 'published'],
      ['non-standard-post-format', 'admin', 'published'],
      ['many-categories', 'admin', 'published'],
    ]);
    expect(target.bySlug('private-post')).toMatchObject({
      publishedAt: null,
      tags: ['Tag1', 'Tag2', 'Tag3'],
      categories: ['Uncategorized'],
      legacy: expect.objectContaining({ wpStatus: 'private' }),
    });
    const many = target.bySlug('many-categories');
    expect(many.categories).toHaveLength(27);
    expect(many.categories.slice(0, 3)).toEqual(['alpha', 'Bar', 'BETA']);
    expect(many.categories.at(-1)).toBe('远征手记');
    expect(target.bySlug('non-standard-post-format')).toMatchObject({
      categories: ['Uncategorized'],
      legacy: expect.objectContaining({ terms: [{ taxonomy: 'post_format', slug: 'post-format-aside', name: 'Aside' }] }),
    });
    expect(target.bySlug('hello-world').legacy?.['meta']).toEqual([{ key: 'Post by', value: 'author' }]);
  });

  test('crazy-cdata-escaped.xml: split CDATA sections give back literal <![CDATA[ and ]]>', async () => {
    const { target, report } = await load('crazy-cdata-escaped.xml');
    expect(report).toMatchObject({ items: 1, imported: 1, posts: { ...none, published: 1 }, skipped: {} });
    expect(target.posts[0]?.body).toBe('Content with nested <![CDATA[ tags ]]> :)');
    expect(target.posts[0]?.legacy?.['meta']).toEqual([
      { key: 'Plain string', value: 'Foo' },
      { key: 'Closing CDATA', value: ']]>' },
      { key: 'Alot of CDATA', value: 'This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>' },
    ]);
  });

  test('wxr-utf-8-challenges.xml: astral characters, bidi marks and zalgo text survive; the slug loses its bidi marks', async () => {
    const { target, report } = await load('wxr-utf-8-challenges.xml');
    expect(report).toMatchObject({ wxrVersion: '1.2', items: 1, imported: 1, posts: { ...none, published: 1 }, warnings: [] });
    const [post] = target.posts;
    expect(post?.title).toBe('"The Road \u{202e}Not\u{202c} Taken" by Rob\u{202d}ert \u{202e}Frost \u{202a}\u{1f332}\u{202c}');
    expect(post?.author).toBe(
      'A\u{338}\u{330}\u{305}d\u{334}\u{330}\u{35d}m\u{335}\u{34e}\u{33d}i\u{335}\u{331}\u{30b}n\u{337}\u{330}\u{30e} \u{200b}\u{200d}\u{200c}\u{200e}',
    );
    expect(post?.legacy?.['authorLogin']).toBe('admin\u{200c}\u{200b}\u{200d}\u{200e}');
    expect(post?.slug).toBe('hello-world-utf8-\u{1f4ab}-test');
    expect(post?.legacy?.['guid']).toBe(
      'https://playground.internal/path/\u{1f680}/\u{202e}tsop\u{202c}/?p=1&test=\u{1f4ab}\u{200c}\u{200b}\u{200d}\u{200e}',
    );
    expect(post?.categories).toHaveLength(1);
    expect(post?.categories[0]?.endsWith(' \u{1f3ad}')).toBe(true);
    // Character references inside CDATA are text, not references.
    expect(post?.body).toContain('&#x200B;&#x200C;&#x200D;&#x2060;&#xFEFF;');
    expect(post?.body).toContain('\u{1f680}\u{1f31f}\u{1f4ab}');
    expect(post?.body.startsWith('<!-- wp:paragraph -->\n<p>')).toBe(true);
    expect(post?.excerpt).toContain('\u{1f680}\u{1f31f}');
    expect(post?.createdAt).toBe('2024-06-05T16:04:48.000Z');
    expect(post?.updatedAt).toBe('2024-06-10T12:28:55.000Z');
  });

  test('slashes.xml: backslashes are content, never unescaped', async () => {
    const { target, report } = await load('slashes.xml');
    expect(report).toMatchObject({ items: 1, imported: 1, comments: { ...noComments, approved: 1 } });
    const [post] = target.posts;
    expect(post?.body).toBe('Slashes aren\\\'t \\"cool\\"');
    expect(post?.categories).toEqual(['a \\"great\\" category']);
    expect(post?.comments[0]?.body).toBe('\\o/ ¯\\_(ツ)_/¯');
    expect(post?.comments[0]?.createdAt).toBe('2011-01-18T20:53:18.000Z');
  });

  test('test-serialized-comment-meta.xml: draft with no GMT date is dated in the blog timezone; comment meta kept', async () => {
    const { target, report } = await load('test-serialized-comment-meta.xml');
    expect(report).toMatchObject({
      wxrVersion: '1.0',
      items: 1,
      imported: 1,
      posts: { ...none, draft: 1 },
      comments: { ...noComments, approved: 1 },
    });
    const [post] = target.posts;
    expect(post).toMatchObject({
      slug: 'my-entry-with-comments-and-comment-meta',
      status: 'draft',
      // 2009-10-20 16:13:20 in New York (EDT, UTC-4).
      createdAt: '2009-10-20T20:13:20.000Z',
      publishedAt: null,
      sticky: false,
    });
    expect(post?.comments[0]).toMatchObject({
      author: 'A WordPress Commenter',
      email: 'wapuu@wordpress.example',
      url: 'https://wordpress.org/',
      status: 'approved',
      legacy: {
        wpCommentId: '1',
        meta: [
          { key: 'string', value: '¯\\_(ツ)_/¯' },
          { key: 'array', value: 'a:1:{s:3:"key";s:13:"¯\\_(ツ)_/¯";}' },
        ],
      },
    });
    expect(post?.comments[0]?.body.split('\n')).toHaveLength(3);
  });

  test('the same local date reads differently in another blog timezone', async () => {
    const { target } = await load('test-serialized-comment-meta.xml', { timezone: 'Asia/Tokyo' });
    expect(target.posts[0]?.createdAt).toBe('2009-10-20T07:13:20.000Z');
  });

  test('post-content-blank-lines.xml: whitespace and blank lines of the body are kept', async () => {
    const { target } = await load('post-content-blank-lines.xml');
    expect(target.posts[0]?.body).toBe(
      'This is an example of a WordPress post.\n\t\tIt has lines with text (and one blank line).\n\nAnd more lines with text.',
    );
    expect(target.posts[0]?.author).toBe('John Doe');
  });

  test('wxr-comprehensive.xml: excerpt, nested categories, tags, a comment with ip and meta', async () => {
    const { target, report } = await load('wxr-comprehensive.xml');
    expect(report).toMatchObject({
      wxrVersion: '1.2',
      items: 2,
      imported: 2,
      posts: { ...none, published: 1 },
      pages: { ...none, published: 1 },
      comments: { ...noComments, approved: 1 },
      skipped: {},
    });
    const [post] = target.posts;
    expect(post).toMatchObject({
      slug: 'comprehensive-post',
      title: 'Comprehensive Post',
      author: 'Alice',
      excerpt: 'An excerpt for comprehensive post',
      categories: ['News', 'Updates'],
      tags: ['T1', 'T2'],
      publishedAt: '2024-06-05T16:04:48.000Z',
    });
    expect(post?.comments[0]).toMatchObject({
      author: 'Commenter',
      email: 'commenter@example.com',
      url: '',
      ip: '127.0.0.1',
      body: 'Great post!',
      createdAt: '2024-06-06T10:00:00.000Z',
      legacy: {
        wpCommentId: '5000',
        meta: [
          { key: 'rating', value: '5' },
          { key: 'note', value: 'vip' },
        ],
      },
    });
  });

  test('hexo-migrator-demo.xml: 13 trashed posts keep their previous status, percent-encoded slug decoded, empty title', async () => {
    const { target, report } = await load('hexo-migrator-demo.xml');
    expect(report).toMatchObject({
      wxrVersion: '1.2',
      site: 'https://s1.demo.opensourcecms.com/wordpress',
      items: 19,
      imported: 19,
      posts: { ...none, published: 4, trash: 13 },
      pages: { ...none, published: 1, draft: 1 },
      comments: { ...noComments, approved: 1 },
      skipped: {},
      warnings: [],
    });
    const trashed = target.posts.filter((p) => p.status === 'trash');
    expect(trashed).toHaveLength(13);
    for (const post of trashed) {
      expect(post.previousStatus).toBe('published');
      expect(post.publishedAt).toBe(post.createdAt);
      expect(post.commentStatus).toBe('closed');
    }
    expect(target.bySlug('日本語テスト')).toMatchObject({ title: '日本語テスト', createdAt: '2020-01-05T11:12:55.000Z' });
    const untitled = target.posts.find((p) => p.legacy?.['wpPostId'] === '41');
    expect(untitled).toMatchObject({
      title: '',
      slug: 'sul-banco-propranolol-generico-comprare-generici-che-di-marca-farmaci-online-di-trasporto-di-posta-aerea-o-corriere',
    });
    expect(target.bySlug('hello-world').comments[0]).toMatchObject({ author: 'A WordPress Commenter', status: 'approved' });
    // The body is kept byte for byte, leading newline and indentation included.
    expect(target.bySlug('hello-world').body.startsWith('\n        <!-- wp:paragraph -->\n        <p>Welcome')).toBe(true);
    expect(target.bySlug('hello-world').comments[0]?.body).toContain('<a href="https://gravatar.com">Gravatar</a>');
  });

  test('progress is reported over both passes and reaches the total', async () => {
    const seen: [number, number][] = [];
    await load('hexo-migrator-demo.xml', { onProgress: (done, total) => seen.push([done, total]) });
    const last = seen.at(-1);
    expect(last?.[0]).toBe(last?.[1]);
    expect(seen.every(([done], i) => i === 0 || done >= (seen[i - 1]?.[0] ?? 0))).toBe(true);
  });

  test('--dry-run reports the same and writes nothing', async () => {
    const { target, report } = await load('hexo-migrator-demo.xml', { dryRun: true });
    expect(report).toMatchObject({
      dryRun: true,
      imported: 19,
      posts: { ...none, published: 4, trash: 13 },
      pages: { ...none, published: 1, draft: 1 },
    });
    expect(target.batches).toEqual([]);
  });

  test('re-importing the same file adds nothing and reports every post as present', async () => {
    const target = new MemoryTarget();
    await importWxr(sample('small-export.xml'), target, OPTIONS);
    const before = structuredClone(target.posts);
    const again = await importWxr(sample('small-export.xml'), target, OPTIONS);
    expect(again).toMatchObject({ imported: 0, posts: none, comments: noComments, skipped: { present: 11 } });
    expect(target.posts).toEqual(before);
  });
});
