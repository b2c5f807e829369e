import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import { buildSite } from '../src/site/build.js';
import { makeComment, makePost, makeSettings, tempDir } from './fixtures/site/factory.js';

// Feeds read back by a real feed parser, the way a reader's feed client would read them.
describe('the feeds, as a feed reader sees them', () => {
  let out: string;
  const NOW = new Date('2024-06-01T12:00:00Z');

  beforeAll(async () => {
    const settings = makeSettings({ title: 'Feeds & <Friends>', url: 'https://blog.example.com/notes/' });
    const posts = [
      makePost({
        id: 'ffff0001',
        slug: 'older',
        title: 'Older post',
        author: 'Alice',
        categories: ['News'],
        tags: ['t1'],
        publishedAt: '2024-05-01T09:00:00.000Z',
        body: 'A [link](/about/) and *emphasis*.',
      }),
      makePost({
        id: 'ffff0002',
        slug: 'newer',
        title: 'Newer <post> & more',
        author: 'Bob',
        categories: ['Tech'],
        publishedAt: '2024-05-10T09:00:00.000Z',
        body: 'Hello',
        comments: [makeComment({ author: 'Eve', body: '<script>alert(1)</script>' })],
      }),
      makePost({ id: 'ffff0003', slug: 'draft', title: 'Not in the feed', status: 'draft', publishedAt: null }),
    ];
    out = await tempDir('site-feeds');
    await buildSite({ settings, posts, blogDir: await tempDir('site-feeds-blog'), outDir: out, now: NOW });
  });

  it.each([
    ['feed.xml', 'rss'],
    ['atom.xml', 'atom'],
  ])('%s parses as %s with absolute links, dates, authors and categories', async (file, type) => {
    const feed = parseFeed(await readFile(join(out, file), 'utf8'));
    expect(feed.meta.type).toBe(type);
    expect(feed.title).toBe('Feeds & <Friends>');
    expect(feed.url).toBe('https://blog.example.com/notes/');
    expect(feed.items.map((i) => i.title)).toEqual(['Newer <post> & more', 'Older post']);
    const [newer, older] = feed.items;
    expect(newer!.url).toBe('https://blog.example.com/notes/2024/05/10/newer/');
    expect(newer!.published?.toISOString()).toBe('2024-05-10T09:00:00.000Z');
    expect(newer!.authors.map((a) => a.name)).toEqual(['Bob']);
    expect(older!.categories.map((c) => c.label)).toEqual(expect.arrayContaining(['News']));
    expect(older!.content).toContain('<em>emphasis</em>');
    expect(older!.content).toContain('href="https://blog.example.com/about/"');
    expect(JSON.stringify(feed.items)).not.toContain('<script');
  });

  it('feed.json is a JSON Feed 1.1 with the same items', async () => {
    const feed = JSON.parse(await readFile(join(out, 'feed.json'), 'utf8'));
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.home_page_url).toBe('https://blog.example.com/notes/');
    expect(feed.feed_url).toBe('https://blog.example.com/notes/feed.json');
    expect(feed.items.map((i: { title: string }) => i.title)).toEqual(['Newer <post> & more', 'Older post']);
    expect(feed.items[0]).toMatchObject({
      url: 'https://blog.example.com/notes/2024/05/10/newer/',
      date_published: '2024-05-10T09:00:00.000Z',
      authors: [{ name: 'Bob' }],
    });
  });
});
