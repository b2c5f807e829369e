/** Real-world exports through termpress's own exports and back: WXR, JSON backup and Markdown. */
import { createWriteStream, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../../src/core/errors.js';
import type { Post } from '../../src/core/types.js';
import { exportJson, exportMarkdown, importJson, importWxr, type WxrImportOptions } from '../../src/wxr/index.js';
import { tempDir } from '../fixtures/wxr/build-wxr.js';
import { MemoryTarget } from '../fixtures/wxr/memory-target.js';
import { comparable, nativePosts, SETTINGS, writeWxr } from '../fixtures/wxr/native-posts.js';
import { matter } from '../helpers/front-matter.js';
import { sample } from './testdata.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const WXR_OPTIONS: WxrImportOptions = { timezone: SETTINGS.timezone, now: NOW };
const dir = tempDir('wxr-conformance');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exportWxr -> importWxr', () => {
  test('posts imported from WordPress go back out with their guids, ids, meta and terms, and come back the same', async () => {
    const first = new MemoryTarget();
    await importWxr(sample('small-export.xml'), first, WXR_OPTIONS);
    await importWxr(sample('hexo-migrator-demo.xml'), first, WXR_OPTIONS);
    const file = await writeWxr(first.posts, path.join(dir, 'reexport.xml'));
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
    // WordPress ids are kept where they stay unique; both sites had a post 1, so the second one is renumbered.
    const wpIds = second.posts.map((p) => p.legacy?.['wpPostId']);
    expect(new Set(wpIds).size).toBe(wpIds.length);
    expect(
      second.posts
        .filter((p) => p.type !== 'page')
        .map((p) => p.legacy?.['wpPostId'])
        .slice(0, 6),
    ).toEqual(['1', '13', '15', '17', '19', '22']);
    // The pages of both sites go out and come back as pages.
    expect(second.posts.filter((p) => p.type === 'page')).toHaveLength(7);
    expect(wpIds.filter((id) => id === '49')).toHaveLength(1);
  });

  test("importing a blog's own export back into it adds nothing", async () => {
    const blog = new MemoryTarget();
    blog.posts = nativePosts();
    await importWxr(sample('valid-wxr-1.1.xml'), blog, WXR_OPTIONS);
    const file = await writeWxr(blog.posts, path.join(dir, 'self.xml'));
    const report = await importWxr(file, blog, WXR_OPTIONS);
    expect(report).toMatchObject({ imported: 0, skipped: { present: 8 } });
    const again = new MemoryTarget();
    await importWxr(file, again, WXR_OPTIONS);
    expect((await importWxr(file, again, WXR_OPTIONS)).skipped).toEqual({ present: 8 });
  });
});

describe('exportJson -> importJson', () => {
  test('a backup imported into an empty blog gives the same blog back, settings included', async () => {
    const wordpress = new MemoryTarget();
    await importWxr(sample('hexo-migrator-demo.xml'), wordpress, WXR_OPTIONS);
    const original = [...nativePosts(), ...wordpress.posts];
    const file = path.join(dir, 'backup.json');
    await pipeline(exportJson(original, SETTINGS), createWriteStream(file));
    const target = new MemoryTarget();
    const report = await importJson(file, target, { now: NOW });
    expect(report).toMatchObject({ format: 'json', items: original.length, imported: original.length, skipped: {}, warnings: [] });
    expect(report.settings).toEqual(SETTINGS);
    expect(target.posts).toEqual(original);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'termpress', schemaVersion: 1, posts: original });

    const again = await importJson(file, target, { now: NOW });
    expect(again).toMatchObject({ imported: 0, skipped: { present: original.length } });
  });

  test('a WXR file is refused', async () => {
    await expect(importJson(sample('slashes.xml'), new MemoryTarget(), { now: NOW })).rejects.toThrow(UsageError);
  });
});

describe('exportMarkdown', () => {
  test('one file per post, front matter with the approved comments only and no private fields', async () => {
    const wordpress = new MemoryTarget();
    await importWxr(sample('hexo-migrator-demo.xml'), wordpress, WXR_OPTIONS);
    const posts = [...nativePosts(), wordpress.bySlug('hello-world')];
    const out = path.join(dir, 'markdown');
    const files = await exportMarkdown(posts, SETTINGS, out);
    expect(files).toHaveLength(7);
    expect(readdirSync(out).sort()).toEqual(
      [
        'hello-markdown.md',
        'hello-world.html',
        'post-pend0001.html',
        'post-sched001.html',
        'post-trash001.html',
        'post-trash002.html',
        '日本語テスト.html',
      ].sort(),
    );
    // The native posts' front matter is checked by the suite itself; here, what the real export brings.
    const imported = matter(readFileSync(path.join(out, 'hello-world.html'), 'utf8'));
    expect(imported.data['aliases']).toEqual(['/wordpress/2018/10/02/hello-world/']);
  });
});
