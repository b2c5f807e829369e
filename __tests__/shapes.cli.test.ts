/**
 * The same data, the same shape: one name means one thing in every command and format, CSV has no JSON
 * in its cells, `comment add` can say what became of the comment, and a WordPress export imported into
 * a blog without posts names the site as a JSON restore does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture } from './fixtures/wxr/memory-target.js';
import { Sandbox } from './helpers/cli.js';

describe('the same data, the same shape', () => {
  let sb: Sandbox;

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: '2026-03-01T12:00:00Z' });
  });
  afterEach(() => sb.cleanup());

  describe('posts and their comments', () => {
    let postId: string;

    beforeEach(() => {
      sb.initBlog('--title', 'Shapes', '--author', 'Ada');
      postId = sb.ok(['post', 'create', '--title', 'Commented', '--status', 'published', '--category', 'News,Life', '--porcelain']).trim();
      sb.ok(['comment', 'add', postId, '--author', 'Grace', '--email', 'grace@example.com', '--body', 'First']);
      sb.ok(['comment', 'add', postId, '--author', 'Ada', '--body', 'Thanks', '--approve']);
    });

    it('comments is always the comments themselves; their counts are commentCounts', () => {
      const listed = JSON.parse(sb.ok(['post', 'list', '--json']))[0];
      expect(listed.commentCounts).toEqual({ approved: 1, pending: 1, spam: 0, trash: 0 });
      expect(listed).not.toHaveProperty('comments');
      const jsonl = JSON.parse(sb.ok(['post', 'list', '--format', 'jsonl', '--fields', 'id,commentCounts']));
      expect(jsonl).toEqual({ id: postId, commentCounts: { approved: 1, pending: 1, spam: 0, trash: 0 } });
      const shown = JSON.parse(sb.ok(['post', 'show', postId, '--json']));
      expect(Array.isArray(shown.comments)).toBe(true);
      expect(shown.comments).toHaveLength(2);
      expect(shown).not.toHaveProperty('commentCounts');
      expect(sb.run(['post', 'list', '--fields', 'comments']).code).toBe(2);
    });

    it('CSV flattens nested values into columns: no JSON in a cell', () => {
      const csv = sb.ok(['post', 'list', '--format', 'csv']);
      const [header, row] = csv.trim().split('\n');
      expect(header).toMatch(/,commentCounts\.approved,commentCounts\.pending,commentCounts\.spam,commentCounts\.trash$/);
      expect(row).toMatch(/,1,1,0,0$/);
      expect(csv).not.toMatch(/[{}]/);
      const picked = sb.ok(['post', 'list', '--format', 'csv', '--fields', 'id,categories,commentCounts']);
      expect(picked).toBe(
        `id,categories,commentCounts.approved,commentCounts.pending,commentCounts.spam,commentCounts.trash\n${postId},"News,Life",1,1,0,0\n`,
      );
      // The header is the same when there are no rows.
      const empty = sb.ok(['post', 'list', '--format', 'csv', '--fields', 'id,commentCounts', '--status', 'trash']);
      expect(empty).toBe('id,commentCounts.approved,commentCounts.pending,commentCounts.spam,commentCounts.trash\n');
    });

    it('comment add --format json prints the comment with its status and the reasons', () => {
      const held = sb.run([
        'comment',
        'add',
        postId,
        '--author',
        'Alan',
        '--email',
        'alan@example.com',
        '--body',
        'Hello',
        '--format',
        'json',
      ]);
      expect(held.code).toBe(0);
      const comment = JSON.parse(held.stdout);
      expect(comment).toMatchObject({
        postId,
        author: 'Alan',
        email: 'alan@example.com',
        body: 'Hello',
        status: 'pending',
        reasons: ['first comment from this author'],
      });
      expect(comment.id).toMatch(/^[0-9a-z]{8}$/);
      const shown = JSON.parse(sb.ok(['comment', 'show', comment.id, '--json']));
      expect(shown).toEqual(comment);
      const approved = JSON.parse(sb.ok(['comment', 'add', postId, '--author', 'Ada', '--body', 'Reply', '--approve', '--json']));
      expect(approved).toMatchObject({ status: 'approved' });
      const both = sb.run(['comment', 'add', postId, '--author', 'X', '--email', 'x@example.com', '--body', 'y', '--json', '--porcelain']);
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/--porcelain .* or --format json/);
    });
  });

  describe('importing a WordPress export', () => {
    const settingsOf = (blog: string) => JSON.parse(readFileSync(path.join(blog, 'termpress.json'), 'utf8'));

    it("into a blog without posts takes the site's title, description, address and language, and names the blog", () => {
      const blog = sb.initBlog();
      const dry = sb.run(['import', fixture('export-1.2.xml'), '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/into: {5}"Tidewater Notes" at https:\/\/tidewater\.example /);
      expect(dry.stdout).toMatch(/settings: title, description, url and language would be taken from the export/);
      expect(settingsOf(blog)).toMatchObject({ title: 'My termpress blog', url: 'http://localhost:4000/' });

      const run = sb.run(['import', fixture('export-1.2.xml')]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`  into:     "Tidewater Notes" at https://tidewater.example (${blog})\n`);
      expect(run.stdout).toMatch(/settings: title, description, url and language taken from the export \(the blog had no posts\)/);
      expect(settingsOf(blog)).toMatchObject({
        title: 'Tidewater Notes',
        description: 'Notes from a tidal estuary',
        url: 'https://tidewater.example',
        language: 'en-US',
      });
      // The blog has posts now: a second import leaves its settings alone.
      sb.ok(['config', 'set', 'title', 'Renamed']);
      const again = sb.run(['import', fixture('export-1.2.xml'), '--json']);
      expect(JSON.parse(again.stdout)).toMatchObject({ settingsTaken: [], blog: { title: 'Renamed', url: 'https://tidewater.example' } });
      expect(settingsOf(blog).title).toBe('Renamed');
    });

    it('keeps what a person chose at init, and takes the rest', () => {
      const blog = sb.initBlog('--title', 'Moved in', '--url', 'https://new.example.com/');
      const run = sb.run(['import', fixture('export-1.2.xml'), '--lenient']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('  into:     "Moved in" at https://new.example.com/');
      expect(run.stdout).toMatch(/settings: description and language taken from the export/);
      expect(settingsOf(blog)).toMatchObject({
        title: 'Moved in',
        url: 'https://new.example.com/',
        description: 'Notes from a tidal estuary',
        language: 'en-US',
      });
    });

    it('the default blog, created by the import, is named with its folder', () => {
      const run = sb.run(['import', fixture('export-1.2.xml')]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/into: {5}"Tidewater Notes" at https:\/\/tidewater\.example \(.*blog\)\n/);
    });

    it("a channel's values are read as WordPress escaped them, and a link that is not a web address is not taken", () => {
      const blog = sb.initBlog();
      const file = path.join(sb.cwd, 'odd.xml');
      const text = readFileSync(fixture('export-1.2.xml'), 'utf8')
        .replace('<title>Tidewater Notes</title>', '<title>Tom &amp;amp; Jerry&amp;#039;s</title>')
        .replace('<link>https://tidewater.example</link>', '<link>ftp://tidewater.example</link>');
      writeFileSync(file, text);
      const run = sb.run(['import', file]);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/the export's link was not taken as the blog's url/);
      expect(settingsOf(blog)).toMatchObject({ title: "Tom & Jerry's", url: 'http://localhost:4000/' });
    });
  });
});
