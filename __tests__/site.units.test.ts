import fc from 'fast-check';
import type { Comment } from '../src/core/types.js';
import { threadComments, type CommentNode } from '../src/site/comments.js';
import { createDateFormatter } from '../src/site/dates.js';
import { createBodyRenderer } from '../src/site/markdown.js';
import { compilePermalink, relativeLink, rootedLink, siteBase } from '../src/site/paths.js';
import { groupTerms } from '../src/site/taxonomy.js';
import { selectShownPosts } from '../src/site/visibility.js';
import { summarize } from '../src/store/summary.js';
import { makeComment, makePost } from './fixtures/site/factory.js';

describe('threadComments', () => {
  // a <- b <- c <- d <- e: a chain five deep, then f on top level and g replying to a held comment.
  const chain = () => [
    makeComment({ id: 'a', createdAt: '2024-01-01T00:00:00Z' }),
    makeComment({ id: 'b', parentId: 'a', createdAt: '2024-01-02T00:00:00Z' }),
    makeComment({ id: 'c', parentId: 'b', createdAt: '2024-01-03T00:00:00Z' }),
    makeComment({ id: 'd', parentId: 'c', createdAt: '2024-01-04T00:00:00Z' }),
    makeComment({ id: 'e', parentId: 'd', createdAt: '2024-01-05T00:00:00Z' }),
    makeComment({ id: 'f', createdAt: '2024-01-01T12:00:00Z' }),
    makeComment({ id: 'h', status: 'pending', createdAt: '2024-01-01T13:00:00Z' }),
    makeComment({ id: 'g', parentId: 'h', createdAt: '2024-01-06T00:00:00Z' }),
    makeComment({ id: 's', status: 'spam', createdAt: '2024-01-01T14:00:00Z' }),
  ];
  const shape = (nodes: ReturnType<typeof threadComments>['roots']): unknown =>
    nodes.map((n) =>
      n.children.length ? [`${n.number}.${n.comment.id}@${n.depth}`, shape(n.children)] : `${n.number}.${n.comment.id}@${n.depth}`,
    );

  it.each([
    [5, [['1.a@1', [['2.b@2', [['3.c@3', [['4.d@4', ['5.e@5']]]]]]]], '6.f@1', '7.g@1']],
    [3, [['1.a@1', [['2.b@2', ['3.c@3', '4.d@3', '5.e@3']]]], '6.f@1', '7.g@1']],
    [2, [['1.a@1', ['2.b@2', '3.c@2', '4.d@2', '5.e@2']], '6.f@1', '7.g@1']],
    [1, ['1.a@1', '2.f@1', '3.b@1', '4.c@1', '5.d@1', '6.e@1', '7.g@1']],
  ])('threadDepth %i attaches deeper replies at the deepest level', (depth, expected) => {
    const thread = threadComments(chain(), depth);
    expect(thread.count).toBe(7);
    expect(shape(thread.roots)).toEqual(expected);
  });

  it('puts a reply made in the same second as its parent under it, whatever the ids and the stored order', () => {
    const at = '2024-05-02T10:00:00.000Z';
    // The reply's id sorts before its parent's, and it is stored first: neither may put it first.
    const comments = [makeComment({ id: 'aaaa0001', parentId: 'zzzz0001', createdAt: at }), makeComment({ id: 'zzzz0001', createdAt: at })];
    for (const depth of [5, 2]) {
      expect(shape(threadComments(comments, depth).roots)).toEqual([['1.zzzz0001@1', ['2.aaaa0001@2']]]);
    }
    expect(shape(threadComments(comments, 1).roots)).toEqual(['1.zzzz0001@1', '2.aaaa0001@1']);
  });

  it('shows every approved comment exactly once, replies under their parent, for any parent links (cycles included)', () => {
    const ids = ['a', 'b', 'd', 'e', 'f', 'g'];
    const arb = fc.array(
      fc.record({
        id: fc.constantFrom(...ids),
        parent: fc.option(fc.constantFrom(...ids, 'missing')),
        minute: fc.integer({ min: 0, max: 2 }),
        approved: fc.boolean(),
      }),
      { maxLength: 10 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 6 }), (rows, depth) => {
        const comments = rows.map((r) =>
          makeComment({
            id: r.id,
            parentId: r.parent,
            status: r.approved ? 'approved' : 'pending',
            createdAt: new Date(Date.UTC(2024, 4, 2, 0, r.minute)).toISOString(),
          }),
        );
        const approved = comments.filter((c) => c.status === 'approved');
        const thread = threadComments(comments, depth);
        const seen: Comment[] = [];
        const walk = (nodes: CommentNode[], holder: CommentNode | undefined): void => {
          for (const node of nodes) {
            seen.push(node.comment);
            expect(node.number).toBe(seen.length);
            expect(node.depth).toBe(holder ? holder.depth + 1 : 1);
            expect(node.depth).toBeLessThanOrEqual(Math.max(1, depth));
            walk(node.children, node);
          }
        };
        walk(thread.roots, undefined);
        expect(thread.count).toBe(approved.length);
        expect(seen).toHaveLength(approved.length);
        expect(new Set(seen)).toEqual(new Set(approved));
      }),
      { numRuns: 300 },
    );
  });

  it('survives a parent cycle in broken data', () => {
    const thread = threadComments(
      [makeComment({ id: 'x', parentId: 'y' }), makeComment({ id: 'y', parentId: 'x', createdAt: '2024-05-03T00:00:00Z' })],
      5,
    );
    expect(thread.count).toBe(2);
  });
});

describe('compilePermalink', () => {
  const values = { year: '2024', month: '05', day: '01', slug: 'hello', id: 'abcd1234' };
  it.each([
    ['/:year/:month/:day/:slug/', '2024/05/01/hello/index.html'],
    ['/:slug/', 'hello/index.html'],
    ['/:slug', 'hello/index.html'],
    ['/archives/:id/', 'archives/abcd1234/index.html'],
    ['/:year/:slug.html', '2024/hello.html'],
  ])('%s -> %s', (pattern, file) => {
    expect(compilePermalink(pattern)(values)).toBe(file);
  });

  it.each([['/../:slug/'], ['/:slug/..']])('never climbs out of the output folder: %s', (pattern) => {
    expect(compilePermalink(pattern)(values)).not.toContain('..');
  });

  it('falls back to the id for a slug that is a path', () => {
    expect(compilePermalink('/:slug/')({ ...values, slug: '../../etc' })).toBe('abcd1234/index.html');
  });

  it.each([['/:year/:month/'], ['no-slash/:slug'], ['/:title/']])('refuses %s', (pattern) => {
    expect(() => compilePermalink(pattern)).toThrow(/permalink/);
  });
});

describe('links', () => {
  it.each([
    ['index.html', 'page/2/index.html', 'page/2/index.html'],
    ['page/2/index.html', 'index.html', '../../index.html'],
    ['2024/05/01/a/index.html', '2024/05/01/a/index.html', 'index.html'],
    ['2024/05/01/a/index.html', 'tag/c++/index.html', '../../../../tag/c%2B%2B/index.html'],
  ])('from %s to %s is %s', (from, to, link) => {
    expect(relativeLink(from, to)).toBe(link);
  });

  it('roots links of the 404 page at the site path', () => {
    expect(rootedLink(siteBase('https://example.org/blog'), 'archives/index.html')).toBe('/blog/archives/');
  });
});

describe('selectShownPosts', () => {
  const now = new Date('2024-06-01T00:00:00Z');
  const posts = [
    makePost({ id: 'pub1', status: 'published' }),
    makePost({ id: 'due1', status: 'scheduled', publishedAt: '2024-05-31T23:59:59Z' }),
    makePost({ id: 'fut1', status: 'scheduled', publishedAt: '2024-06-01T00:00:01Z' }),
    makePost({ id: 'drf1', status: 'draft', publishedAt: null }),
    makePost({ id: 'pen1', status: 'pending', publishedAt: null }),
    makePost({ id: 'trs1', status: 'trash' }),
    makePost({ id: 'pwd1', status: 'published', legacy: { password: 'x' } }),
    makePost({ id: 'prv1', status: 'draft', legacy: { wpStatus: 'private' } }),
  ];
  it('shows published and due posts', () => {
    expect(selectShownPosts(posts.map(summarize), now, false).map((s) => [s.post.id, s.preview])).toEqual([
      ['due1', null],
      ['pub1', null],
    ]);
  });
  it('adds previews of drafts, pending and future posts, never trash, protected or private ones', () => {
    expect(
      selectShownPosts(posts.map(summarize), now, true)
        .map((s) => [s.post.id, s.preview])
        .sort(),
    ).toEqual([
      ['drf1', 'draft'],
      ['due1', null],
      ['fut1', 'scheduled'],
      ['pen1', 'pending'],
      ['pub1', null],
    ]);
  });
});

describe('groupTerms', () => {
  it('merges names differing in case, and suffixes names that slugify alike', () => {
    const shown = selectShownPosts(
      [makePost({ categories: ['News', 'C', 'C#'] }), makePost({ categories: ['news ', 'c'] })].map(summarize),
      new Date('2025-01-01'),
      false,
    );
    expect(groupTerms(shown, (p) => p.categories).map((t) => [t.name, t.slug, t.posts.length])).toEqual([
      ['C', 'c', 2],
      ['C#', 'c-2', 1],
      ['News', 'news', 2],
    ]);
  });
});

describe('createBodyRenderer', () => {
  const render = createBodyRenderer();
  it('renders markdown, keeping safe inline HTML and dropping script', () => {
    const body = render(
      makePost({
        body: '# Title\n\nText with <kbd>Ctrl</kbd> <span onclick="x()">span</span>\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1))',
      }),
    );
    expect(body.html).toContain('<h1>Title</h1>');
    expect(body.html).toContain('<kbd>Ctrl</kbd> <span>span</span>');
    expect(body.html).not.toMatch(/<script|onclick|href="javascript/);
    expect(body.excerptText).toBe('Text with Ctrl span');
  });
  it('takes the excerpt field first, then <!--more-->, then the first paragraph', () => {
    expect(render(makePost({ excerpt: 'Given <b>text</b>' })).excerptHtml).toBe('<p>Given &#60;b&#62;text&#60;/b&#62;</p>');
    expect(render(makePost({ body: 'One\n\nTwo\n\n<!--more-->\n\nThree' })).excerptText).toBe('One Two');
    expect(render(makePost({ body: '- just\n- a list' })).excerptText).toBe('just a list');
  });
});

describe('createDateFormatter', () => {
  it('shows instants in the blog timezone and language', () => {
    const dates = createDateFormatter('Asia/Tokyo', 'en_US');
    expect(dates.date('2024-12-31T16:00:00Z')).toEqual({ display: 'January 1, 2025', iso: '2025-01-01T01:00:00+09:00' });
    expect(dates.parts('2024-12-31T16:00:00Z')).toEqual({ year: '2025', month: '01', day: '01' });
    expect(createDateFormatter('UTC', 'de').monthName('2024', '03')).toBe('März 2024');
  });
});
