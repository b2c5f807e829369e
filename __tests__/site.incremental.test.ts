import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Post } from '../src/core/types.js';
import { buildSite, type BuildOptions } from '../src/site/build.js';
import { makeComment, makePost, makeSettings, readTree, tempDir } from './fixtures/site/factory.js';

const NOW = new Date('2024-06-01T12:00:00Z');

/** A blog of twelve posts over three months, in two categories, some with comments. */
function posts() {
  return Array.from({ length: 12 }, (_, i) =>
    makePost({
      id: `dddd${String(i).padStart(4, '0')}`,
      slug: `post-${i}`,
      title: `Post number ${i}`,
      categories: [i % 2 === 0 ? 'Even' : 'Odd'],
      tags: i % 3 === 0 ? ['Threes'] : [],
      publishedAt: new Date(Date.UTC(2024, 2 + Math.floor(i / 5), 1 + i, 9)).toISOString(),
      comments: i % 4 === 0 ? [makeComment({ id: `eeee${String(i).padStart(4, '0')}`, body: `Comment on ${i}` })] : [],
    }),
  );
}

async function options(overrides: Partial<BuildOptions> & { posts?: Post[] } = {}): Promise<BuildOptions & { posts: Post[] }> {
  return {
    settings: makeSettings({ postsPerPage: 5 }),
    posts: posts(),
    blogDir: await tempDir('blog'),
    outDir: await tempDir('out'),
    now: NOW,
    ...overrides,
  };
}

describe('deterministic output', () => {
  it('two builds of the same blog at the same clock are byte-identical', async () => {
    const first = await options();
    const second = { ...first, outDir: await tempDir('out2') };
    await buildSite(first);
    // A different order of the posts in the input must not change the output.
    await buildSite({ ...second, posts: [...second.posts].reverse() });
    const a = await readTree(first.outDir);
    const b = await readTree(second.outDir);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [file, bytes] of a) expect(b.get(file)!.equals(bytes)).toBe(true);
  });

  it('holds no time of the build itself: a later clock with nothing newly due changes nothing', async () => {
    const first = await options();
    await buildSite(first);
    const report = await buildSite({ ...first, now: new Date('2025-01-01T00:00:00Z') });
    expect(report.written).toEqual([]);
  });
});

describe('incremental builds', () => {
  it('an unchanged rebuild renders and writes nothing', async () => {
    const opts = await options();
    const first = await buildSite(opts);
    expect(first.pagesWritten).toBeGreaterThan(30);
    const mtimes = await Promise.all(first.written.map(async (f) => (await stat(join(opts.outDir, f))).mtimeMs));
    const manifest = await stat(join(opts.outDir, '.termpress-build.json'));
    const second = await buildSite(opts);
    expect(second).toMatchObject({ pagesWritten: 0, pagesRendered: 0, filesRemoved: 0, pagesUnchanged: first.pagesWritten });
    const after = await Promise.all(first.written.map(async (f) => (await stat(join(opts.outDir, f))).mtimeMs));
    expect(after).toEqual(mtimes);
    expect((await stat(join(opts.outDir, '.termpress-build.json'))).mtimeMs).toBe(manifest.mtimeMs);
  });

  it('a new comment on one post rebuilds only the pages that show that post', async () => {
    const opts = await options();
    await buildSite(opts);
    const changed = opts.posts.map((p) =>
      p.slug === 'post-1' ? { ...p, comments: [makeComment({ id: 'ffff0001', body: 'A new comment' })] } : p,
    );
    const report = await buildSite({ ...opts, posts: changed });
    // post-1 is the 11th newest: its page, and the list pages that show it with its comment count
    // (home page 3, its year's page 3, its category's page 2, its month). The feeds carry it, but they
    // show no comments, so they are not even rendered; nor are its neighbours, which link to it by title.
    expect(report.written).toEqual([
      '2024/03/02/post-1/index.html',
      '2024/03/index.html',
      '2024/page/3/index.html',
      'category/odd/page/2/index.html',
      'page/3/index.html',
    ]);
    expect(report.pagesRendered).toBe(5);
    expect(await readFile(join(opts.outDir, '2024/03/02/post-1/index.html'), 'utf8')).toContain('A new comment');
  });

  it('a retitled post also rebuilds its neighbours, whose links show its title', async () => {
    const opts = await options();
    await buildSite(opts);
    const changed = opts.posts.map((p) => (p.slug === 'post-5' ? { ...p, title: 'Renamed' } : p));
    const report = await buildSite({ ...opts, posts: changed });
    expect(report.written).toEqual(
      expect.arrayContaining(['2024/04/06/post-5/index.html', '2024/03/05/post-4/index.html', '2024/04/07/post-6/index.html']),
    );
    expect(report.written).not.toContain('2024/03/02/post-1/index.html');
  });

  it('removes the pages of a post that is no longer shown, and nothing it did not write', async () => {
    const opts = await options();
    await writeFile(join(opts.outDir, 'CNAME'), 'blog.example.com\n');
    await buildSite(opts);
    const trashed = opts.posts.map((p) => (p.slug === 'post-0' ? { ...p, status: 'trash' as const } : p));
    const report = await buildSite({ ...opts, posts: trashed });
    // Its page, and the second page of its category, which now fits on one.
    expect(report.removed).toEqual(['2024/03/01/post-0/index.html', 'category/even/page/2/index.html']);
    await expect(stat(join(opts.outDir, '2024/03/01'))).rejects.toThrow();
    expect(await readFile(join(opts.outDir, 'CNAME'), 'utf8')).toBe('blog.example.com\n');
  });

  it('rewrites a page deleted by hand, and everything with clean', async () => {
    const opts = await options();
    const first = await buildSite(opts);
    await rm(join(opts.outDir, 'index.html'));
    expect((await buildSite(opts)).written).toEqual(['index.html']);
    // A page changed by hand to bytes of the same size is not noticed by an incremental build, but a
    // clean one renders every page afresh and writes each whose bytes on disk are not the page's.
    const archives = join(opts.outDir, 'archives', 'index.html');
    const page = await readFile(archives, 'utf8');
    await writeFile(archives, page.replace('Archives', 'Xrchives'));
    expect((await buildSite(opts)).written).toEqual([]);
    const clean = await buildSite({ ...opts, clean: true });
    expect(clean.pagesRendered).toBe(first.pagesWritten);
    expect(clean.written).toEqual(['archives/index.html']);
    expect(await readFile(archives, 'utf8')).toBe(page);
  });

  it('rebuilds every page when the theme changes', async () => {
    const opts = await options();
    const first = await buildSite(opts);
    await import('node:fs/promises').then(async (fs) => {
      await fs.mkdir(join(opts.blogDir, 'templates', 'theme', 'partials'), { recursive: true });
      await fs.writeFile(join(opts.blogDir, 'templates', 'theme', 'partials', 'pagination.eta'), '<nav>pages</nav>\n');
    });
    const second = await buildSite({ ...opts, trustTheme: true });
    expect(second.pagesRendered).toBe(first.pagesWritten);
    // Only list pages use the pagination partial; the bytes of the others are the same, so they are not written.
    expect(second.written.every((f) => !/\/post-\d+\//.test(f))).toBe(true);
    expect(second.written).toContain('index.html');
  });

  it('reports progress up to the total', async () => {
    const calls: Array<[number, number]> = [];
    await buildSite({ ...(await options()), onProgress: (done, total) => calls.push([done, total]) });
    const last = calls[calls.length - 1]!;
    expect(last[0]).toBe(last[1]);
    expect(calls.every(([done], i) => i === 0 || done > calls[i - 1]![0])).toBe(true);
  });
});
