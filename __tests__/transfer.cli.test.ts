import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO, Sandbox } from './helpers/cli.js';

const WXR = path.resolve(REPO, '../shared/testdata/wxr');

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
    const first = sb.run(['import', path.join(WXR, 'small-export.xml')]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Imported 6 posts from small-export.xml/);
    expect(first.stdout).toMatch(/posts: {4}1 draft, 5 published/);
    expect(first.stdout).toMatch(/skipped: {2}5 page/);
    expect(first.stderr).toMatch(/Private Post.*draft/);
    const files = readdirSync(path.join(blog, 'posts')).sort();
    const again = sb.run(['import', path.join(WXR, 'small-export.xml'), '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, skipped: { present: 6 }, warnings: [] });
    expect(readdirSync(path.join(blog, 'posts')).sort()).toEqual(files);
  });

  it('refuses a malformed export with exit 2 naming line and column, writing nothing', () => {
    const result = sb.run(['import', path.join(WXR, 'malformed.xml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/malformed\.xml:\d+:\d+/);
    expect(readdirSync(path.join(blog, 'posts'))).toEqual([]);
    expect(sb.run(['import', path.join(WXR, 'nope.xml')]).code).toBe(3);
  });

  it('a JSON backup restores the same blog into an empty one', () => {
    sb.ok(['import', path.join(WXR, 'small-export.xml')]);
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
    expect(JSON.parse(readFileSync(path.join(copy, 'termpress.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(path.join(blog, 'termpress.json'), 'utf8')));
  });

  it('exports WXR that imports back, and Markdown files with front matter', () => {
    sb.ok(['import', path.join(WXR, 'small-export.xml')]);
    const out = path.join(sb.cwd, 'out.xml');
    sb.ok(['export', '--format', 'wxr', '--out', out]);
    expect(readFileSync(out, 'utf8')).toMatch(/<wp:wxr_version>1\.2<\/wp:wxr_version>/);
    const copy = path.join(sb.cwd, 'copy');
    sb.ok(['init', copy]);
    expect(JSON.parse(sb.ok(['--blog', copy, 'import', out, '--json'])).imported).toBe(6);
    expect(sb.run(['export', '--format', 'markdown']).code).toBe(2);
    const md = path.join(sb.cwd, 'md');
    sb.ok(['export', '--format', 'markdown', '--out', md, '--status', 'published']);
    const files = readdirSync(md);
    expect(files).toHaveLength(5);
    expect(readFileSync(path.join(md, files[0]!), 'utf8')).toMatch(/^---\n[\s\S]*title: [\s\S]*\n---\n/);
  });

  it('builds the site, and a second build rewrites nothing', () => {
    const id = sb.ok(['post', 'create', '--title', 'Built', '--body', 'Hello **reader**', '--porcelain']).trim();
    sb.ok(['post', 'publish', id]);
    const first = sb.run(['build']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Built 1 post into .*public: \d+ written, 0 unchanged/);
    expect(readFileSync(path.join(blog, 'public', 'index.html'), 'utf8')).toContain('Built');
    expect(existsSync(path.join(blog, 'public', 'feed.xml'))).toBe(true);
    const second = JSON.parse(sb.ok(['build', '--json']));
    expect(second.pagesWritten).toBe(0);
    expect(second.postsShown).toBe(1);
  });
});
