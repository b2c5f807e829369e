import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openBlog, type Blog } from '../src/api/blog.js';
import { buildBlog } from '../src/site/blog.js';
import { plainCommentHtml } from '../src/site/html-text.js';
import { sanitizeCommentBody, sanitizeCommentMarkup } from '../src/site/sanitize.js';
import { tempDir } from './fixtures/site/factory.js';

const NOW = new Date('2024-06-01T12:00:00Z');
const PAGE = '2024/05/03/post-2/index.html';

/** A blog of three published posts, built once; post-2 is the newest. */
async function builtBlog(): Promise<{ blog: Blog; dir: string; id: string }> {
  const dir = join(await tempDir('post-cache'), 'blog');
  const blog = await openBlog({ blog: dir, env: { TERMPRESS_CONFIG_DIR: join(dir, '..', 'home') }, now: () => NOW });
  await blog.init({ title: 'Harbour Lights', url: 'https://notes.example/', timezone: 'UTC' });
  let id = '';
  for (let i = 0; i < 3; i++) {
    const post = await blog.createPost({
      title: `Post number ${i}`,
      slug: `post-${i}`,
      body: `The body of post ${i}, in *Markdown*.\n\nA second paragraph.`,
      status: 'published',
      at: new Date(Date.UTC(2024, 4, 1 + i, 9)),
    });
    id = post.id;
  }
  await buildBlog(blog);
  return { blog, dir, id };
}

const site = (dir: string, file: string) => readFile(join(dir, 'public', file), 'utf8');
const cacheFile = (dir: string, id: string) => join(dir, '.termpress', 'site-posts', `${id}.json`);

/** Marks the kept body of a post, so that a page made from it shows that it was. */
function markKeptBody(dir: string, id: string): void {
  const kept = JSON.parse(readFileSync(cacheFile(dir, id), 'utf8')) as { html: string };
  kept.html += '<p>KEPT BODY</p>';
  writeFileSync(cacheFile(dir, id), JSON.stringify(kept));
}

async function approvedComment(blog: Blog, id: string, body: string, author = 'Reader'): Promise<void> {
  const { comment } = await blog.addComment(id, { author, email: `${author.toLowerCase()}@example.com`, body });
  if (comment.status !== 'approved') await blog.setCommentStatus({ postId: id, commentId: comment.id }, 'approve');
}

describe('rendered posts kept between builds', () => {
  let dir: string;
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('uses a kept body and kept comments when only the comments change, and leaves the feeds alone', async () => {
    const made = await builtBlog();
    dir = made.dir;
    const feed = await site(dir, 'feed.xml');
    markKeptBody(dir, made.id);
    await approvedComment(made.blog, made.id, 'A <b>bold</b> word <script>alert(1)</script> from a reader.');
    const report = await buildBlog(made.blog);
    expect(report.written).toContain(PAGE);
    expect(report.written.filter((file) => /feed|atom/.test(file))).toEqual([]);
    expect(await site(dir, 'feed.xml')).toBe(feed);
    const page = await site(dir, PAGE);
    expect(page).toContain('KEPT BODY');
    // The new comment went through the sanitiser all the same.
    expect(page).toContain('<b>bold</b>');
    expect(page).not.toContain('<script>alert(1)');

    // Each comment's HTML is kept by its text: the next comment's build uses it as it was kept.
    const kept = JSON.parse(readFileSync(cacheFile(dir, made.id), 'utf8')) as { comments: Record<string, string> };
    expect(Object.values(kept.comments)).toHaveLength(1);
    for (const key of Object.keys(kept.comments)) kept.comments[key] = '<p>KEPT COMMENT</p>';
    writeFileSync(cacheFile(dir, made.id), JSON.stringify(kept));
    await approvedComment(made.blog, made.id, 'A second word, plain.', 'Other');
    await buildBlog(made.blog);
    const again = await site(dir, PAGE);
    expect(again).toContain('KEPT COMMENT');
    expect(again).toContain('<p>A second word, plain.</p>');
    expect(await site(dir, 'feed.xml')).toBe(feed);
  });

  it.each([
    ['body', { body: 'A new body with *emphasis*.' }, /A new body with <em>emphasis<\/em>/],
    ['excerpt', { excerpt: 'A hand-written excerpt.' }, /A hand-written excerpt\./],
    ['format', { format: 'html' as const }, /in \*Markdown\*/],
  ])('renders the body again when its %s changes, in the page and in the feeds', async (_what, change, shown) => {
    const made = await builtBlog();
    dir = made.dir;
    markKeptBody(dir, made.id);
    await made.blog.updatePost(made.id, change);
    const report = await buildBlog(made.blog);
    expect(report.written).toEqual(expect.arrayContaining([PAGE, 'feed.xml', 'atom.xml', 'feed.json']));
    for (const file of [PAGE, 'feed.xml', 'feed.json']) {
      const text = await site(dir, file);
      expect(text).not.toContain('KEPT BODY');
      expect(text).toMatch(shown);
    }
  });

  it('makes the feeds again when a title changes, and with a body changed by hand in the post file', async () => {
    const made = await builtBlog();
    dir = made.dir;
    await made.blog.updatePost(made.id, { title: 'A better title' });
    expect((await buildBlog(made.blog)).written).toEqual(expect.arrayContaining(['feed.xml', 'atom.xml', 'feed.json']));
    expect(await site(dir, 'feed.xml')).toContain('A better title');

    // Edited by hand: same size, revision and time inside, only the file's modification time differs.
    markKeptBody(dir, made.id);
    const file = join(dir, 'posts', `${made.id}.json`);
    const before = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('A second paragraph.', 'A changed paragraph'));
    expect(statSync(file).size).toBe(before.size);
    utimesSync(file, before.atime, new Date(before.mtime.getTime() + 1000));
    await buildBlog(made.blog);
    for (const page of [PAGE, 'feed.xml', 'atom.xml', 'feed.json']) {
      const text = await site(dir, page);
      expect(text).toContain('A changed paragraph');
      expect(text).not.toContain('KEPT BODY');
    }
  });

  it('renders bodies again for another site address, and uses them as they are for a new blog title or theme', async () => {
    const made = await builtBlog();
    dir = made.dir;
    markKeptBody(dir, made.id);
    await made.blog.setSettings({ title: 'Harbour Nights' });
    await buildBlog(made.blog);
    expect(await site(dir, 'feed.xml')).toContain('Harbour Nights');
    expect(await site(dir, PAGE)).toContain('KEPT BODY');

    const layout = readFileSync(join(process.cwd(), 'templates', 'theme', 'post.eta'), 'utf8');
    await mkdir(join(dir, 'templates', 'theme'), { recursive: true });
    await writeFile(join(dir, 'templates', 'theme', 'post.eta'), `${layout}\n<p class="custom">Own theme</p>\n`);
    await buildBlog(made.blog, { trustTheme: true });
    expect(await site(dir, PAGE)).toContain('Own theme');

    await made.blog.setSettings({ url: 'https://elsewhere.example/notes/' });
    await buildBlog(made.blog, { trustTheme: true });
    const feed = await site(dir, 'feed.xml');
    expect(feed).toContain('https://elsewhere.example/notes/2024/05/03/post-2/');
    expect(feed).not.toContain('KEPT BODY');
    expect(await site(dir, PAGE)).not.toContain('KEPT BODY');
  });

  it('renders again a post whose kept file is damaged', async () => {
    const made = await builtBlog();
    dir = made.dir;
    writeFileSync(cacheFile(dir, made.id), '{ not json');
    await approvedComment(made.blog, made.id, 'A word.');
    await buildBlog(made.blog);
    expect(await site(dir, PAGE)).toContain('The body of post 2, in <em>Markdown</em>.');
    expect(JSON.parse(readFileSync(cacheFile(dir, made.id), 'utf8'))).toMatchObject({ version: 1 });
  });
});

describe('comments without markup', () => {
  it.each([
    'A plain comment.',
    '  Two lines\nof text  ',
    'Two\r\nparagraphs\r\n\r\nhere',
    'Quotes "double" and \'single\', unicode ✓ é 日本',
    'Blank lines\n\n\n\n  \nmany',
    'Tabs\tand\u0007 controls\u001b[31m',
    'Lone surrogate \ud800 here',
    '',
    '   ',
    'Looks like a URL: https://example.com/?a=b',
  ])('come out as the sanitiser makes them: %j', (body) => {
    expect(plainCommentHtml(body)).not.toBeNull();
    expect(plainCommentHtml(body)).toBe(sanitizeCommentMarkup(body));
    expect(sanitizeCommentBody(body)).toBe(sanitizeCommentMarkup(body));
  });

  it.each(['<b>bold</b>', 'a < b', 'a > b', 'fish &amp; chips', 'fish & chips'])(
    'go through the sanitiser when they hold "<", ">" or "&": %j',
    (body) => {
      expect(plainCommentHtml(body)).toBeNull();
      expect(sanitizeCommentBody(body)).toBe(sanitizeCommentMarkup(body));
    },
  );
});
