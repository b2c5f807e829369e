/**
 * A published post keeps its address for life: the day in its permalink is fixed when it is first
 * published, so a change of timezone moves nothing; a change of the permalink pattern moves posts, and
 * build writes a redirect from every old address to the new one and says how many moved.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture } from './fixtures/wxr/memory-target.js';
import { Sandbox } from './helpers/cli.js';

// Late in the evening in UTC: already the next day in Paris and in Kiritimati (UTC+14).
const NOW = '2026-03-01T23:30:00Z';

describe('permalinks are fixed at first publish', () => {
  let sb: Sandbox;
  let blog: string;

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: NOW });
    blog = sb.initBlog('--title', 'Addresses', '--url', 'https://example.com/blog/');
  });
  afterEach(() => sb.cleanup());

  const postFile = (id: string) => path.join(blog, 'posts', `${id}.json`);
  const readPost = (id: string) => JSON.parse(readFileSync(postFile(id), 'utf8'));
  const page = (file: string) => path.join(blog, 'public', file);
  const create = (...args: string[]) => sb.ok(['post', 'create', '--porcelain', ...args]).trim();

  it('a change of timezone moves no published post', () => {
    const now = create('--title', 'Published now', '--status', 'published');
    const later = create('--title', 'Published later');
    sb.ok(['post', 'publish', later]);
    const due = create('--title', 'Due', '--at', '2026-03-01T23:45:00Z');
    sb.ok(['post', 'publish', '--due'], { env: { TERMPRESS_NOW: '2026-03-01T23:50:00Z' } });
    for (const id of [now, later, due]) expect(readPost(id).permalinkDate).toBe('2026-03-01');
    sb.ok(['build']);
    for (const slug of ['published-now', 'published-later', 'due']) expect(existsSync(page(`2026/03/01/${slug}/index.html`))).toBe(true);

    sb.ok(['config', 'set', 'timezone', 'Pacific/Kiritimati']);
    const rebuilt = sb.run(['build']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toMatch(/, 0 removed\n/);
    for (const slug of ['published-now', 'published-later', 'due']) {
      expect(existsSync(page(`2026/03/01/${slug}/index.html`))).toBe(true);
      expect(existsSync(page(`2026/03/02/${slug}/index.html`))).toBe(false);
    }
    // A post published after the change takes its day in the new timezone.
    const after = create('--title', 'After the move', '--status', 'published');
    expect(readPost(after).permalinkDate).toBe('2026-03-02');
  });

  it('a post published by an older termpress gets its day fixed in the old timezone when the timezone changes', () => {
    const id = create('--title', 'Old post', '--status', 'published');
    const file = readPost(id);
    delete file.permalinkDate;
    writeFileSync(postFile(id), JSON.stringify(file, null, 2));
    sb.ok(['config', 'set', 'timezone', 'Europe/Paris']);
    expect(readPost(id)).toMatchObject({ permalinkDate: '2026-03-01', revision: file.revision, updatedAt: file.updatedAt });
    sb.ok(['build']);
    expect(existsSync(page('2026/03/01/old-post/index.html'))).toBe(true);
  });

  it('a new permalink pattern moves posts, and build writes a redirect from every old address and says how many moved', () => {
    const a = create('--title', 'First', '--status', 'published');
    create('--title', 'Second', '--status', 'published', '--at', '2025-06-01T12:00:00Z');
    create('--title', 'A draft');
    sb.ok(['build']);
    sb.ok(['config', 'set', 'permalink', '/posts/:slug/'], { env: { TERMPRESS_NOW: '2026-03-02T08:00:00Z' } });
    const settings = JSON.parse(readFileSync(path.join(blog, 'termpress.json'), 'utf8'));
    expect(settings.oldPermalinks).toEqual([{ permalink: '/:year/:month/:day/:slug/', until: '2026-03-02T08:00:00.000Z' }]);
    // A post published after the change had no old address.
    sb.env.TERMPRESS_NOW = '2026-03-03T08:00:00Z';
    create('--title', 'Third', '--status', 'published');

    const build = sb.run(['build']);
    expect(build.code).toBe(0);
    expect(build.stderr).toMatch(/2 posts moved with the permalink pattern: 2 redirects written from the old addresses to the new\./);
    expect(build.stderr).toMatch(/, 0 removed\n/);
    expect(existsSync(page('posts/first/index.html'))).toBe(true);
    const redirect = readFileSync(page('2026/03/01/first/index.html'), 'utf8');
    expect(redirect).toContain('<meta http-equiv="refresh" content="0; url=../../../../posts/first/index.html">');
    expect(redirect).toContain('<link rel="canonical" href="https://example.com/blog/posts/first/">');
    expect(readFileSync(page('2025/06/01/second/index.html'), 'utf8')).toContain('url=../../../../posts/second/index.html');
    expect(existsSync(page('2026/03/03/third/index.html'))).toBe(false);
    expect(readFileSync(page('sitemap.xml'), 'utf8')).not.toContain('2026/03/01/first');

    // Said once: a build with nothing new to redirect is quiet about it, and keeps the redirects.
    const again = sb.run(['build']);
    expect(again.stderr).not.toMatch(/posts? moved/);
    expect(existsSync(page('2026/03/01/first/index.html'))).toBe(true);
    const report = JSON.parse(sb.ok(['build', '--json']));
    expect(report).toMatchObject({ postsMoved: 2, redirects: 2, redirectsWritten: 0 });

    // Changed again: the first addresses lead to the newest, and so do the second ones.
    sb.ok(['config', 'set', 'permalink', '/:id/']);
    const third = sb.run(['build']);
    expect(third.stderr).toMatch(/3 posts moved with the permalink pattern: 5 redirects written/);
    expect(readFileSync(page('2026/03/01/first/index.html'), 'utf8')).toContain(`url=../../../../${a}/index.html`);
    expect(readFileSync(page('posts/first/index.html'), 'utf8')).toContain(`url=../../${a}/index.html`);
  });

  it('an imported WordPress post keeps the day of its WordPress address, whatever the blog timezone', () => {
    sb.ok(['config', 'set', 'timezone', 'Asia/Tokyo']);
    sb.ok(['import', fixture('export-1.2.xml')]);
    const posts = JSON.parse(sb.ok(['post', 'list', '--json', '--fields', 'slug,status,publishedAt,permalinkDate']));
    // Gulls: 2024-04-06 12:20 in WordPress's own timezone (16:20 UTC), already 04-07 in Tokyo.
    expect(posts.find((p: { slug: string }) => p.slug === 'gulls')).toEqual({
      slug: 'gulls',
      status: 'published',
      publishedAt: '2024-04-06T16:20:00.000Z',
      permalinkDate: '2024-04-06',
    });
    for (const post of posts) if (post.status !== 'published') expect(post.permalinkDate).toBeUndefined();
    sb.ok(['build']);
    expect(existsSync(page('2024/04/06/gulls/index.html'))).toBe(true);
  });
});
