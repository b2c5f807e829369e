/** `termpress media add|list`: files from disk into the blog's media/, listed, and copied into the site by build. */
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Sandbox } from './helpers/cli.js';

describe('termpress media', () => {
  let sb: Sandbox;
  let blog: string;

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: '2026-11-27T10:00:00Z' });
    blog = sb.initBlog('--title', 'Field notes', '--url', 'https://notes.example/');
  });
  afterEach(() => sb.cleanup());

  it('adds a file under media/<year>/<month>/, lists it, and build copies it into the site', () => {
    writeFileSync(path.join(sb.cwd, 'Boat at dusk.jpg'), 'JFIF bytes');
    const post = sb
      .ok([
        'post',
        'create',
        '--title',
        'With a picture',
        '--body',
        '![Boat](/media/2026/11/Boat-at-dusk.jpg)',
        '--status',
        'published',
        '--porcelain',
      ])
      .trim();
    expect(sb.ok(['media', 'add', 'Boat at dusk.jpg', '--post', post])).toMatch(
      /^Added [a-z0-9]{8} as media\/2026\/11\/Boat-at-dusk\.jpg \(image\/jpeg, 10 bytes\); link it as \/media\/2026\/11\/Boat-at-dusk\.jpg\n$/,
    );
    // The same name again is kept apart.
    expect(sb.ok(['media', 'add', 'Boat at dusk.jpg'])).toContain('media/2026/11/Boat-at-dusk-2.jpg');
    const listed = JSON.parse(sb.ok(['media', 'list', '--json'])) as {
      file: string;
      postId: string | null;
      mimeType: string;
      size: number;
    }[];
    expect(listed.map((m) => [m.file, m.postId, m.mimeType, m.size])).toEqual([
      ['2026/11/Boat-at-dusk.jpg', post, 'image/jpeg', 10],
      ['2026/11/Boat-at-dusk-2.jpg', null, 'image/jpeg', 10],
    ]);
    sb.ok(['build']);
    expect(readFileSync(path.join(blog, 'public/media/2026/11/Boat-at-dusk.jpg'), 'utf8')).toBe('JFIF bytes');
  });

  it('refuses what the site must not serve, a link, and a missing file, writing nothing', () => {
    writeFileSync(path.join(sb.cwd, 'page.html'), '<script>alert(1)</script>');
    writeFileSync(path.join(sb.cwd, 'logo.svg'), '<svg onload="alert(1)"/>');
    symlinkSync('/etc/hostname', path.join(sb.cwd, 'link.jpg'));
    const html = sb.run(['media', 'add', 'page.html']);
    expect(html.code).toBe(2);
    expect(html.stderr).toMatch(/page\.html is text\/html, which termpress does not put on the site/);
    expect(sb.run(['media', 'add', 'logo.svg']).code).toBe(2);
    const link = sb.run(['media', 'add', 'link.jpg']);
    expect(link.code).toBe(2);
    expect(link.stderr).toMatch(/is not a plain file/);
    expect(sb.run(['media', 'add', 'nowhere.jpg']).code).toBe(3);
    expect(existsSync(path.join(blog, 'media'))).toBe(false);
    expect(sb.ok(['media', 'list', '--format', 'count'])).toBe('0\n');
  });
});
