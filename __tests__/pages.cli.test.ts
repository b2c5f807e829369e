/** `termpress page ...`: pages share the posts' machinery, stand in a tree, and stay out of the date lists and feeds. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Sandbox } from './helpers/cli.js';

describe('termpress page', () => {
  let sb: Sandbox;
  let blog: string;

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: '2026-11-27T10:00:00Z' });
    blog = sb.initBlog('--title', 'Field notes', '--url', 'https://notes.example/');
  });
  afterEach(() => sb.cleanup());

  it('creates pages in a tree, lists them in navigation order apart from posts, and builds them at their paths', () => {
    const contact = sb.ok(['page', 'create', '--title', 'Contact', '--body', 'Write to us.', '--order', '2', '--porcelain']).trim();
    const about = sb.ok(['page', 'create', '--title', 'About', '--body', 'Who we are.', '--order', '1', '--porcelain']).trim();
    expect(sb.ok(['page', 'create', '--title', 'Team', '--body', 'Three of us.', '--parent', 'about'])).toMatch(
      /^Created [a-z0-9]{8} "Team" \(draft\) with slug team\n$/,
    );
    const post = sb.ok(['post', 'create', '--title', 'First post', '--body', 'Hello.', '--status', 'published', '--porcelain']).trim();
    sb.ok(['page', 'publish', 'about', 'team', 'contact']);

    const pages = JSON.parse(sb.ok(['page', 'list', '--format', 'json'])) as {
      id: string;
      slug: string;
      type: string;
      parentId: string | null;
      menuOrder: number;
    }[];
    expect(pages.map((p) => [p.slug, p.type, p.menuOrder])).toEqual([
      ['team', 'page', 0],
      ['about', 'page', 1],
      ['contact', 'page', 2],
    ]);
    expect(pages.find((p) => p.slug === 'team')?.parentId).toBe(about);
    expect(JSON.parse(sb.ok(['post', 'list', '--format', 'json'])).map((p: { id: string }) => p.id)).toEqual([post]);
    expect(sb.ok(['page', 'list', '--format', 'ids']).trim().split('\n')).toContain(contact);
    // The table shows where each page lives and its place in the navigation, not a post's date and categories.
    const table = sb.ok(['page', 'list']).split('\n');
    expect(table[0]).toMatch(/^ID +STATUS +ADDRESS +ORDER +TITLE +COMMENTS$/);
    expect(table.slice(1, 4).map((line) => line.split(/ {2,}/).slice(2, 5))).toEqual([
      ['/about/team/', '0', 'Team'],
      ['/about/', '1', 'About'],
      ['/contact/', '2', 'Contact'],
    ]);
    const csv = sb.ok(['page', 'list', '--format', 'csv', '--fields', 'slug,parentId,menuOrder']);
    expect(csv).toBe(`slug,parentId,menuOrder\nteam,${about},0\nabout,,1\ncontact,,2\n`);
    expect(sb.run(['post', 'list', '--fields', 'menuOrder'])).toMatchObject({ code: 2 });

    sb.ok(['build']);
    const read = (file: string) => readFileSync(path.join(blog, 'public', file), 'utf8');
    expect(read('about/index.html')).toContain('Who we are.');
    expect(read('about/team/index.html')).toContain('Three of us.');
    expect(read('contact/index.html')).toContain('Write to us.');
    const home = read('index.html');
    expect(home).toMatch(
      /<li class="nav-page"><a href="about\/index.html">About<\/a>\s*<ul class="nav-children">\s*<li><a href="about\/team\/index.html">Team<\/a><\/li>\s*<\/ul><\/li>\s*<li class="nav-page"><a href="contact\/index.html">Contact<\/a><\/li>/,
    );
    expect(home).toContain('First post');
    expect(home).not.toContain('Who we are.');
    expect(read('feed.xml')).not.toContain('Who we are.');

    // Trashed, the page leaves the site; restored, it comes back.
    sb.ok(['page', 'trash', 'contact']);
    sb.ok(['build']);
    expect(existsSync(path.join(blog, 'public/contact/index.html'))).toBe(false);
    sb.ok(['page', 'restore', 'contact']);
    sb.ok(['build']);
    expect(read('contact/index.html')).toContain('Write to us.');
  });

  it('moves a page in the tree, refusing a loop (exit 4) and a parent or order on a post (exit 2)', () => {
    sb.ok(['page', 'create', '--title', 'About', '--status', 'published']);
    sb.ok(['page', 'create', '--title', 'Team', '--parent', 'about', '--status', 'published']);
    const loop = sb.run(['page', 'edit', 'about', '--parent', 'team']);
    expect(loop.code).toBe(4);
    expect(loop.stderr).toMatch(/cannot go under team: that page is below this one/);
    expect(sb.ok(['page', 'edit', 'team', '--top-level', '--order', '3'])).toMatch(
      /^Updated [a-z0-9]{8} "Team": parentId, menuOrder \(revision 2\)\n$/,
    );
    sb.ok(['build']);
    expect(existsSync(path.join(blog, 'public/team/index.html'))).toBe(true);

    sb.ok(['post', 'create', '--title', 'A post']);
    const refused = sb.run(['post', 'create', '--title', 'Another', '--parent', 'about']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Only pages have --parent and --order: use termpress page\./);
    expect(sb.run(['page', 'create', '--title', 'Under a post', '--parent', 'a-post']).code).toBe(2);
  });
  it('doctor names a page whose parent is gone or is a post, and --fix makes it a top-level page', () => {
    const about = sb.ok(['page', 'create', '--title', 'About', '--status', 'published', '--porcelain']).trim();
    const team = sb.ok(['page', 'create', '--title', 'Team', '--parent', 'about', '--status', 'published', '--porcelain']).trim();
    const post = sb.ok(['post', 'create', '--title', 'A post', '--porcelain']).trim();
    const file = (id: string) => path.join(blog, 'posts', `${id}.json`);
    // A hand edit (or a merge) leaves Team under a page that no longer exists, and History under a post.
    const history = sb.ok(['page', 'create', '--title', 'History', '--parent', 'about', '--status', 'published', '--porcelain']).trim();
    for (const [id, parent] of [
      [team, 'gne23456'],
      [history, post],
    ] as const) {
      writeFileSync(file(id), JSON.stringify({ ...JSON.parse(readFileSync(file(id), 'utf8')), parentId: parent }, null, 2));
    }
    const report = sb.run(['doctor']);
    expect(report.code).toBe(5);
    expect(report.stdout).toContain(
      `page ${team} is under gne23456, which does not exist, so the site shows it at the top level (termpress doctor --fix will make it a top-level page)`,
    );
    expect(report.stdout).toContain(`page ${history} is under ${post}, which is a post, not a page, so the site shows it at the top level`);
    expect(sb.run(['doctor', '--fix']).code).toBe(0);
    for (const id of [team, history]) expect(JSON.parse(readFileSync(file(id), 'utf8')).parentId).toBeNull();
    expect(JSON.parse(readFileSync(file(about), 'utf8')).parentId).toBeNull();
    expect(sb.run(['doctor'])).toMatchObject({ code: 0, stdout: '' });
  });
});
