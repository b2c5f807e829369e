import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture } from './fixtures/wxr/memory-target.js';
import { Sandbox } from './helpers/cli.js';

const EXPORT = fixture('export-1.2.xml');

describe('termpress import, export and build (end to end)', () => {
  let sb: Sandbox;
  let blog: string;

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: '2026-11-27T10:00:00Z' });
    blog = sb.initBlog('--title', 'Moved in', '--url', 'https://blog.example.com/');
  });
  afterEach(() => sb.cleanup());

  /** Every post of a blog with every field, through the JSON export. */
  const allPosts = (dir = blog) => JSON.parse(sb.ok(['--blog', dir, 'export', '--format', 'json'])).posts;

  it('imports a WordPress export, and a second import adds nothing', () => {
    const first = sb.run(['import', EXPORT]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Imported 5 posts and 2 pages from export-1\.2\.xml \(https:\/\/tidewater\.example\)\n/);
    expect(first.stdout).toMatch(/posts: {4}2 draft, 3 published\n/);
    expect(first.stdout).toMatch(/pages: {4}1 draft, 1 published\n/);
    expect(first.stdout).toMatch(/comments: 1 pending, 4 approved, 1 spam\n/);
    expect(first.stdout).toMatch(/categories: 8 new\n/);
    expect(first.stdout).toMatch(/media: {4}1 new\n/);
    expect(first.stdout).toMatch(/skipped: {2}none\n/);
    expect(first.stdout).toMatch(/ {2}1 media file is still on the old site \(import again with --media to download them\)\n/);
    expect(first.stderr).toMatch(/post 11 "Lamp room inventory": private in WordPress, imported as a draft/);
    const files = readdirSync(path.join(blog, 'posts')).sort();
    expect(files).toHaveLength(7);
    const again = sb.run(['import', EXPORT, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, skipped: { present: 7 }, media: { present: 1 }, warnings: [] });
    expect(readdirSync(path.join(blog, 'posts')).sort()).toEqual(files);
  });

  it('refuses a malformed export with exit 2 naming line and column, writing nothing', () => {
    const result = sb.run(['import', fixture('mismatched-tag.xml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/mismatched-tag\.xml:32:10: not well-formed XML/);
    expect(readdirSync(path.join(blog, 'posts'))).toEqual([]);
    expect(sb.run(['import', fixture('nope.xml')]).code).toBe(3);
  });

  it('a JSON backup restores the same blog into an empty one', () => {
    sb.ok(['import', EXPORT]);
    const id = sb.ok(['post', 'create', '--title', 'Native', '--body', 'Markdown *here*', '--tag', 'x', '--porcelain']).trim();
    sb.ok(['post', 'publish', id]);
    sb.ok(['config', 'set', 'moderation.holdWords', 'casino']);
    const backup = path.join(sb.cwd, 'backup.json');
    sb.ok(['export', '--format', 'json', '--out', backup]);
    const copy = path.join(sb.cwd, 'copy');
    sb.ok(['init', copy]);
    const restored = sb.run(['--blog', copy, 'import', backup]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/settings: restored/);
    expect(allPosts(copy)).toEqual(allPosts(blog));
    expect(JSON.parse(readFileSync(path.join(copy, 'termpress.json'), 'utf8'))).toEqual(
      JSON.parse(readFileSync(path.join(blog, 'termpress.json'), 'utf8')),
    );
    // The category tree with its descriptions, and the media records, come back too.
    for (const name of ['taxonomy.json', 'media.json']) {
      expect(JSON.parse(readFileSync(path.join(copy, name), 'utf8'))).toEqual(JSON.parse(readFileSync(path.join(blog, name), 'utf8')));
    }
    expect(restored.stdout).toMatch(/categories: 8 new\n/);
    expect(restored.stdout).toMatch(/media: {4}1 new\n/);
    const again = sb.ok(['--blog', copy, 'import', backup]);
    expect(again).toMatch(/categories: 0 new, 8 already in the blog\n/);
    expect(again).toMatch(/media: {4}0 new, 1 already in the blog\n/);
  });

  it('refuses a backup whose category tree or media records are invalid, writing nothing', () => {
    type Header = { taxonomy: { categories: { slug: string }[] }; media: { file: string }[] };
    sb.ok(['import', EXPORT]);
    const backup = path.join(sb.cwd, 'backup.json');
    sb.ok(['export', '--format', 'json', '--out', backup]);
    const [head, ...rest] = readFileSync(backup, 'utf8').split('\n');
    const copy = path.join(sb.cwd, 'copy');
    sb.ok(['init', copy]);
    const before = readdirSync(copy).sort();
    for (const [name, change] of [
      ['a slug that climbs out', (h: Header) => (h.taxonomy.categories[0]!.slug = '../../etc')],
      ['a media file outside media/', (h: Header) => (h.media[0]!.file = '../../outside.png')],
    ] as const) {
      const header = JSON.parse(`${head!}]}`) as Header;
      change(header);
      const tampered = path.join(sb.cwd, 'tampered.json');
      writeFileSync(tampered, [`${JSON.stringify(header).slice(0, -2)}`, ...rest].join('\n'));
      const result = sb.run(['--blog', copy, 'import', tampered]);
      expect([name, result.code]).toEqual([name, 2]);
      expect(result.stderr).toMatch(
        /^error: .*tampered\.json: the header is invalid at field "(taxonomy\.categories\.0\.slug|media\.0\.file)": .*; nothing was imported\.\n$/,
      );
      expect(readdirSync(copy).sort()).toEqual(before);
    }
  });

  it('exports WXR that imports back, and Markdown files with front matter', () => {
    sb.ok(['import', EXPORT]);
    const out = path.join(sb.cwd, 'out.xml');
    sb.ok(['export', '--format', 'wxr', '--out', out]);
    expect(readFileSync(out, 'utf8')).toMatch(/<wp:wxr_version>1\.2<\/wp:wxr_version>/);
    const copy = path.join(sb.cwd, 'copy');
    sb.ok(['init', copy]);
    expect(JSON.parse(sb.ok(['--blog', copy, 'import', out, '--json'])).imported).toBe(7);
    expect(sb.run(['export', '--format', 'markdown']).code).toBe(2);
    const md = path.join(sb.cwd, 'md');
    sb.ok(['export', '--format', 'markdown', '--out', md, '--status', 'published']);
    const files = readdirSync(md).sort();
    expect(files).toEqual(['about.html', 'carnet-de-bord.html', 'gulls.html', 'welcome-aboard.html']);
    expect(readFileSync(path.join(md, 'about.html'), 'utf8')).toMatch(/\ntype: page\nweight: 0\n/);
    expect(readFileSync(path.join(md, files[0]!), 'utf8')).toMatch(/^---\n[\s\S]*title: [\s\S]*\n---\n/);
  });

  it('builds the site, and a second build rewrites nothing', () => {
    const id = sb.ok(['post', 'create', '--title', 'Built', '--body', 'Hello **reader**', '--porcelain']).trim();
    sb.ok(['post', 'publish', id]);
    const first = sb.run(['build']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(/^Built 1 post into .*public: \d+ written, 0 unchanged/);
    expect(readFileSync(path.join(blog, 'public', 'index.html'), 'utf8')).toContain('Built');
    expect(existsSync(path.join(blog, 'public', 'feed.xml'))).toBe(true);
    const second = JSON.parse(sb.ok(['build', '--json']));
    expect(second.pagesWritten).toBe(0);
    expect(second.postsShown).toBe(1);
  });
});
