import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openBlog, type Blog } from '../src/api/blog.js';
import { StorageError } from '../src/core/errors.js';
import { buildBlog } from '../src/site/blog.js';
import { tempDir } from './fixtures/site/factory.js';

const NOW = new Date('2024-06-01T12:00:00Z');

/** A blog of twelve published posts over three months, in two categories, each with one approved comment on every fourth. */
async function makeBlog(): Promise<{ blog: Blog; dir: string; ids: string[]; open: (now: Date) => Promise<Blog> }> {
  const dir = join(await tempDir('blog-build'), 'blog');
  const open = (now: Date) => openBlog({ blog: dir, env: { TERMPRESS_CONFIG_DIR: join(dir, '..', 'home') }, now: () => now });
  const blog = await open(NOW);
  await blog.init({ title: 'Harbour Lights', url: 'https://notes.example/', timezone: 'UTC' });
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const post = await blog.createPost({
      title: `Post number ${String(i).padStart(2, '0')}`,
      slug: `post-${i}`,
      body: `The body of post ${i}, in *Markdown*.\n\nA second paragraph.`,
      categories: [i % 2 === 0 ? 'Even' : 'Odd'],
      tags: i % 3 === 0 ? ['Threes'] : [],
      status: 'published',
      at: new Date(Date.UTC(2024, 2 + Math.floor(i / 5), 1 + i, 9)),
    });
    ids.push(post.id);
  }
  return { blog, dir, ids, open };
}

const postFile = (dir: string, id: string) => join(dir, 'posts', `${id}.json`);
const htmlPages = (written: readonly string[]) => written.filter((file) => file.endsWith('.html'));

describe('building a blog folder again', () => {
  let dir: string;
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('reads no post and writes nothing when nothing changed', async () => {
    const made = await makeBlog();
    dir = made.dir;
    // A time of whole seconds, which utimes can give back exactly.
    const file = postFile(dir, made.ids[4]!);
    const time = new Date('2024-05-01T00:00:00Z');
    utimesSync(file, time, time);
    const first = await buildBlog(made.blog);
    expect(first.pagesWritten).toBeGreaterThan(20);
    const manifest = statSync(join(dir, 'public', '.termpress-build.json')).mtimeMs;
    const second = await buildBlog(made.blog);
    expect(second).toMatchObject({
      pagesWritten: 0,
      pagesRendered: 0,
      filesRemoved: 0,
      pagesUnchanged: first.pagesWritten + first.pagesUnchanged,
      postsShown: 12,
    });
    expect(statSync(join(dir, 'public', '.termpress-build.json')).mtimeMs).toBe(manifest);

    // A post file replaced by bytes of the same size and time is not read: the build stopped before the posts.
    writeFileSync(file, 'x'.repeat(statSync(file).size));
    utimesSync(file, time, time);
    expect((await buildBlog(made.blog)).written).toEqual([]);
    // Once its time differs, the file is read, and its damage named.
    utimesSync(file, time, new Date(time.getTime() + 5000));
    await expect(buildBlog(made.blog)).rejects.toThrow(StorageError);
  });

  it('one comment approved rewrites that post, the lists that count its comments, and nothing else', async () => {
    const made = await makeBlog();
    dir = made.dir;
    await buildBlog(made.blog);
    const newest = made.ids[11]!;
    const { comment } = await made.blog.addComment(newest, {
      author: 'Reader',
      email: 'reader@example.com',
      body: 'A first word from a reader.',
    });
    expect(comment.status).toBe('pending');
    // A pending comment shows nowhere: nothing to write.
    expect((await buildBlog(made.blog)).written).toEqual([]);
    await made.blog.setCommentStatus({ postId: newest, commentId: comment.id }, 'approve');
    const report = await buildBlog(made.blog);
    expect(report.written).toEqual([
      '2024/05/12/post-11/index.html',
      '2024/05/index.html',
      '2024/index.html',
      'category/odd/index.html',
      'index.html',
    ]);
    expect(report.removed).toEqual([]);
    expect(await readFile(join(dir, 'public', '2024/05/12/post-11/index.html'), 'utf8')).toContain('A first word from a reader.');
    expect(await readFile(join(dir, 'public', 'index.html'), 'utf8')).toMatch(/1 (comment|Comment)/);
  });

  it('rewrites every page after a change of the settings or the theme', async () => {
    const made = await makeBlog();
    dir = made.dir;
    const first = await buildBlog(made.blog);
    const pages = htmlPages(first.written);
    await made.blog.setSettings({ title: 'Harbour Nights' });
    const retitled = await buildBlog(made.blog);
    expect(htmlPages(retitled.written)).toEqual(pages);
    expect(await readFile(join(dir, 'public', 'index.html'), 'utf8')).toContain('Harbour Nights');

    const layout = readFileSync(join(process.cwd(), 'templates', 'theme', 'layout.eta'), 'utf8');
    await mkdir(join(dir, 'templates', 'theme'), { recursive: true });
    await writeFile(join(dir, 'templates', 'theme', 'layout.eta'), layout.replace('</body>', '<p class="custom">Own theme</p>\n</body>'));
    // The blog's own templates are code: refused until trusted, and nothing is written meanwhile.
    await expect(buildBlog(made.blog)).rejects.toThrow(/trust-theme/);
    const themed = await buildBlog(made.blog, { trustTheme: true });
    expect(htmlPages(themed.written)).toEqual(pages);
    expect(await readFile(join(dir, 'public', 'archives', 'index.html'), 'utf8')).toContain('Own theme');
    // Trusted as it is now: the next build stops early, and still refuses once the theme is no longer trusted.
    expect((await buildBlog(made.blog, { trustTheme: themed.themeCode!.digest })).written).toEqual([]);
    await expect(buildBlog(made.blog)).rejects.toThrow(/trust-theme/);
  });

  it('removes the page of a deleted post and rewrites the lists it was in', async () => {
    const made = await makeBlog();
    dir = made.dir;
    await buildBlog(made.blog);
    await made.blog.deletePost(made.ids[0]!, { force: true });
    const report = await buildBlog(made.blog);
    expect(report.removed).toEqual(['2024/03/01/post-0/index.html']);
    expect(report.written).toEqual(expect.arrayContaining(['2024/03/index.html', 'category/even/index.html', 'tag/threes/index.html']));
    expect(report.written).not.toContain('2024/05/12/post-11/index.html');
    expect(report.postsShown).toBe(11);
  });

  it('notices a post file changed behind its back with the same size (a git pull)', async () => {
    const made = await makeBlog();
    dir = made.dir;
    await buildBlog(made.blog);
    const file = postFile(dir, made.ids[3]!);
    const before = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('Post number 03', 'Post number XY'));
    expect(statSync(file).size).toBe(before.size);
    utimesSync(file, before.atime, new Date(before.mtime.getTime() + 1000));
    const report = await buildBlog(made.blog);
    expect(report.written).toContain('2024/03/04/post-3/index.html');
    expect(await readFile(join(dir, 'public', '2024/03/04/post-3/index.html'), 'utf8')).toContain('Post number XY');
    // Its neighbours link to it by its title.
    expect(report.written).toEqual(expect.arrayContaining(['2024/03/03/post-2/index.html', '2024/03/05/post-4/index.html']));
  });

  it('makes again a page deleted by hand, and shows a scheduled post once it is due', async () => {
    const made = await makeBlog();
    dir = made.dir;
    const later = await made.blog.createPost({
      title: 'Coming soon',
      slug: 'soon',
      body: 'Soon.',
      status: 'scheduled',
      at: new Date('2024-07-01T08:00:00Z'),
    });
    await buildBlog(made.blog);
    await rm(join(dir, 'public', 'archives', 'index.html'));
    expect((await buildBlog(made.blog)).written).toEqual(['archives/index.html']);

    const before = await buildBlog(await made.open(new Date('2024-06-30T00:00:00Z')));
    expect(before.written).toEqual([]);
    const due = await buildBlog(await made.open(new Date('2024-07-01T09:00:00Z')));
    expect(due.postsShown).toBe(13);
    expect(due.written).toContain('2024/07/01/soon/index.html');
    expect(later.id).toBeTruthy();
  });

  it('renders the excerpts again when their cache is damaged', async () => {
    const made = await makeBlog();
    dir = made.dir;
    await buildBlog(made.blog);
    const cache = join(dir, '.termpress', 'site-excerpts.json');
    expect(JSON.parse(await readFile(cache, 'utf8'))).toMatchObject({ version: 2 });
    await writeFile(cache, '{ not json');
    await made.blog.setSettings({ description: 'A new line' });
    await buildBlog(made.blog);
    expect(await readFile(join(dir, 'public', 'index.html'), 'utf8')).toContain('The body of post 11');
    expect(JSON.parse(await readFile(cache, 'utf8'))).toMatchObject({ version: 2 });
  });
});
