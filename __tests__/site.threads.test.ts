import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openBlog } from '../src/api/blog.js';
import { buildBlog } from '../src/site/blog.js';
import { runTermpress } from './helpers/cli.js';
import { readTree, tempDir } from './fixtures/site/factory.js';

const NOW = '2024-06-01T12:00:00.000Z';

describe('a build on several threads', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes the same site through the built program (render threads, pages written as their posts come) as on one thread', async () => {
    root = await tempDir('threads');
    const dir = join(root, 'blog');
    const env = { TERMPRESS_CONFIG_DIR: join(root, 'home') };
    const blog = await openBlog({ blog: dir, env, now: () => new Date(NOW) });
    await blog.init({ title: 'Many Posts', url: 'https://many.example/', timezone: 'UTC' });
    // Enough posts for the render threads (64 and more), with comments plain and with markup.
    for (let i = 0; i < 90; i++) {
      const post = await blog.createPost({
        title: `Post ${i}`,
        slug: `post-${i}`,
        body: `Post ${i} in *Markdown*, see https://example.com/${i}.\n\n<!-- more -->\n\nMore of post ${i}.`,
        categories: [`Category ${i % 3}`],
        tags: [`tag-${i % 7}`],
        status: 'published',
        at: new Date(Date.UTC(2024, 0, 1 + i, 9)),
      });
      if (i % 10 === 0) {
        await blog.addComment(post.id, {
          author: 'Editor',
          email: 'editor@example.com',
          body: `A <b>bold</b> word on ${i} <script>x()</script>`,
          approve: true,
        });
        await blog.addComment(post.id, { author: 'Editor', email: 'editor@example.com', body: `A plain word on ${i}.`, approve: true });
      }
    }

    const threaded = join(root, 'threaded');
    const result = runTermpress(['build', '--out', threaded, '-q'], {
      cwd: root,
      env: { ...process.env, ...env, TERMPRESS_BLOG: dir, TERMPRESS_NOW: NOW, CI: 'true' },
      process: true,
      timeoutMs: 120000,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Under the test runner the sources are TypeScript: no render thread is started.
    const single = join(root, 'single');
    await buildBlog(blog, { outDir: single, clean: true });

    const [a, b] = await Promise.all([readTree(threaded), readTree(single)]);
    a.delete('.termpress-build.json');
    b.delete('.termpress-build.json');
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [file, bytes] of a) expect({ file, text: bytes.toString('utf8') }).toEqual({ file, text: b.get(file)!.toString('utf8') });
    expect(a.get('2024/01/01/post-0/index.html')!.toString('utf8')).toContain('<b>bold</b> word on 0');
  }, 180000);
});
