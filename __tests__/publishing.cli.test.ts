/**
 * Publishing does what was asked: the status the author wrote wins over what a date implies, the same
 * by flags as by front matter; an explicit slug is never changed; a retry of a transition that already
 * happened is a success that writes nothing; --dry-run writes nothing; a cron job with nothing to do
 * prints nothing.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Sandbox } from './helpers/cli.js';

const NOW = '2026-03-01T12:00:00Z';
const PAST = '2020-01-01T10:00:00Z';
const FUTURE = '2030-01-01T10:00:00Z';

describe('publishing does what was asked', () => {
  let sb: Sandbox;
  let blog: string;

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: NOW });
    blog = sb.initBlog('--title', 'Field notes', '--author', 'Ada');
  });
  afterEach(() => sb.cleanup());

  const postFile = (id: string) => path.join(blog, 'posts', `${id}.json`);
  const readPost = (id: string) => JSON.parse(readFileSync(postFile(id), 'utf8'));
  const create = (...args: string[]) => sb.ok(['post', 'create', '--porcelain', ...args]).trim();
  /** Every post file's bytes, to show that a command wrote nothing. */
  const snapshot = () =>
    Object.fromEntries(
      readdirSync(path.join(blog, 'posts')).map((f) => [
        f,
        readFileSync(path.join(blog, 'posts', f), 'utf8') + statSync(path.join(blog, 'posts', f)).mtimeMs,
      ]),
    );

  describe('status and date from front matter and from flags agree', () => {
    // [status, date, expected status, expected publishedAt]
    const cases: Array<[string | undefined, string | undefined, string, string | null]> = [
      ['draft', PAST, 'draft', '2020-01-01T10:00:00.000Z'],
      ['draft', FUTURE, 'draft', '2030-01-01T10:00:00.000Z'],
      ['pending', PAST, 'pending', '2020-01-01T10:00:00.000Z'],
      ['pending', FUTURE, 'pending', '2030-01-01T10:00:00.000Z'],
      ['draft', undefined, 'draft', null],
      ['published', PAST, 'published', '2020-01-01T10:00:00.000Z'],
      ['published', undefined, 'published', '2026-03-01T12:00:00.000Z'],
      ['scheduled', FUTURE, 'scheduled', '2030-01-01T10:00:00.000Z'],
      ['trash', PAST, 'trash', '2020-01-01T10:00:00.000Z'],
      [undefined, PAST, 'published', '2020-01-01T10:00:00.000Z'],
      [undefined, FUTURE, 'scheduled', '2030-01-01T10:00:00.000Z'],
      [undefined, undefined, 'draft', null],
    ];

    it.each(cases)('status %s with date %s', (status, date, wantStatus, wantDate) => {
      const file = path.join(sb.cwd, 'post.md');
      const front = [`title: From a file`, ...(status ? [`status: ${status}`] : []), ...(date ? [`date: ${date}`] : [])];
      writeFileSync(file, `---\n${front.join('\n')}\n---\nBody.\n`);
      const fromFile = readPost(create('--from', file));
      const flags = readPost(create('--title', 'By flags', ...(status ? ['--status', status] : []), ...(date ? ['--at', date] : [])));
      expect({ status: fromFile.status, publishedAt: fromFile.publishedAt }).toEqual({ status: wantStatus, publishedAt: wantDate });
      expect({ status: flags.status, publishedAt: flags.publishedAt }).toEqual({ status: wantStatus, publishedAt: wantDate });
    });

    it.each([
      ['published', FUTURE, /future date|in the future/],
      ['scheduled', PAST, /scheduled post needs a future date/],
      ['scheduled', undefined, /scheduled post needs a future date/],
    ])('refuses status %s with date %s, by file and by flags alike', (status, date, message) => {
      const file = path.join(sb.cwd, 'post.md');
      writeFileSync(file, `---\ntitle: T\nstatus: ${status}\n${date ? `date: ${date}\n` : ''}---\nBody.\n`);
      const fromFile = sb.run(['post', 'create', '--from', file]);
      const flags = sb.run(['post', 'create', '--title', 'T', '--status', status, ...(date ? ['--at', date] : [])]);
      expect([fromFile.code, flags.code]).toEqual([2, 2]);
      expect(fromFile.stderr).toMatch(message);
      expect(flags.stderr).toMatch(message);
      expect(readdirSync(path.join(blog, 'posts'))).toEqual([]);
    });

    it("a draft's date is the date it is published at", () => {
      const id = create('--title', 'Dated draft', '--status', 'draft', '--at', PAST);
      sb.ok(['post', 'publish', id]);
      expect(readPost(id)).toMatchObject({ status: 'published', publishedAt: '2020-01-01T10:00:00.000Z' });
    });
  });

  describe('slugs', () => {
    it('an explicit slug that is taken is refused (exit 4), by flag and by front matter, and nothing is written', () => {
      create('--title', 'Hello world');
      const before = snapshot();
      const byFlag = sb.run(['post', 'create', '--title', 'Another', '--slug', 'hello-world']);
      expect(byFlag.code).toBe(4);
      expect(byFlag.stderr).toMatch(/The slug "hello-world" is taken/);
      const file = path.join(sb.cwd, 'post.md');
      writeFileSync(file, '---\ntitle: Another\nslug: hello-world\n---\nBody.\n');
      const byFile = sb.run(['post', 'create', '--from', file]);
      expect(byFile.code).toBe(4);
      expect(byFile.stderr).toMatch(/The slug "hello-world" is taken/);
      expect(snapshot()).toEqual(before);
    });

    it('a slug made from the title gives way with a suffix, and the output says so', () => {
      create('--title', 'Hello world');
      const second = sb.run(['post', 'create', '--title', 'Hello world']);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/with slug hello-world-2 \("hello-world" is taken by another post\)/);
      const porcelain = sb.run(['post', 'create', '--title', 'Hello world', '--porcelain']);
      expect(porcelain.stdout).toMatch(/^[0-9a-z]{8}\n$/);
      expect(porcelain.stderr).toMatch(/The slug is hello-world-3 \("hello-world" is taken by another post\)/);
      const plain = sb.run(['post', 'create', '--title', 'Fresh title']);
      expect(plain.stdout).toMatch(/with slug fresh-title\n$/);
    });
  });

  describe('retrying is safe', () => {
    it('asking for the state a post is already in is exit 0, says so, and writes nothing', () => {
      const id = create('--title', 'Retry me');
      sb.ok(['post', 'publish', id]);
      let before = snapshot();
      const again = sb.run(['post', 'publish', id]);
      expect(again).toMatchObject({ code: 0, stderr: '' });
      expect(again.stdout).toBe(`Post ${id} "Retry me" is already published (on 2026-03-01 12:00)\n`);
      const sameDate = sb.run(['post', 'publish', id, '--at', NOW]);
      expect(sameDate.code).toBe(0);
      expect(sameDate.stdout).toMatch(/is already published/);
      expect(snapshot()).toEqual(before);

      sb.ok(['post', 'trash', id]);
      before = snapshot();
      const trashAgain = sb.run(['post', 'trash', id]);
      expect(trashAgain.code).toBe(0);
      expect(trashAgain.stdout).toMatch(/is already in the trash/);
      expect(snapshot()).toEqual(before);

      const draft = create('--title', 'Draft');
      before = snapshot();
      const unpublish = sb.run(['post', 'unpublish', draft]);
      expect(unpublish.code).toBe(0);
      expect(unpublish.stdout).toMatch(/is already a draft/);

      const later = create('--title', 'Later', '--at', FUTURE);
      before = snapshot();
      const reschedule = sb.run(['post', 'publish', later, '--at', FUTURE]);
      expect(reschedule.code).toBe(0);
      expect(reschedule.stdout).toMatch(/is already scheduled \(for 2030-01-01 10:00\)/);
      expect(snapshot()).toEqual(before);
    });

    it('a transition that cannot happen is still exit 4', () => {
      const id = create('--title', 'Trashed');
      sb.ok(['post', 'trash', id]);
      const before = snapshot();
      expect(sb.run(['post', 'publish', id])).toMatchObject({ code: 4, stderr: expect.stringMatching(/restore it first/) });
      expect(sb.run(['post', 'unpublish', id]).code).toBe(4);
      const draft = create('--title', 'Not trashed');
      expect(sb.run(['post', 'restore', draft])).toMatchObject({ code: 4, stderr: expect.stringMatching(/not in the trash/) });
      expect(snapshot()[`${id}.json`]).toEqual(before[`${id}.json`]);
    });
  });

  describe('--dry-run', () => {
    it('post publish --due --dry-run says what would be published and writes nothing', () => {
      const id = create('--title', 'Due soon', '--at', '2026-03-02T09:00:00Z');
      const before = snapshot();
      const run = sb.run(['post', 'publish', '--due', '--dry-run'], { env: { TERMPRESS_NOW: '2026-03-02T10:00:00Z' } });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`Would publish ${id} "Due soon" (published on 2026-03-02 09:00)\n`);
      expect(run.stderr).toMatch(/Dry run: nothing was written/);
      expect(snapshot()).toEqual(before);
      const real = sb.ok(['post', 'publish', '--due'], { env: { TERMPRESS_NOW: '2026-03-02T10:00:00Z' } });
      expect(real).toMatch(new RegExp(`^Published ${id} "Due soon" \\(published on 2026-03-02 09:00\\)`));
    });

    it('post publish, unpublish, trash, restore and delete take --dry-run and write nothing', () => {
      const a = create('--title', 'A');
      const b = create('--title', 'B', '--status', 'published');
      const c = create('--title', 'C', '--status', 'trash');
      const before = snapshot();
      expect(sb.ok(['post', 'publish', a, '--dry-run'])).toMatch(/^Would publish .* "A" \(published on/);
      expect(sb.ok(['post', 'publish', a, '--at', FUTURE, '--dry-run'])).toMatch(/^Would schedule .* "A" \(scheduled for/);
      expect(sb.ok(['post', 'unpublish', b, '--dry-run'])).toMatch(/^Would unpublish .* "B" \(draft\)/);
      expect(sb.ok(['post', 'trash', a, b, '--dry-run'])).toMatch(/^Would trash .* "A".*\nWould trash .* "B"/);
      expect(sb.ok(['post', 'restore', c, '--dry-run'])).toMatch(/^Would restore .* "C"/);
      expect(sb.ok(['post', 'delete', c, '--dry-run'])).toMatch(/^Would delete .* "C"/);
      const refused = sb.run(['post', 'delete', a, '--dry-run']);
      expect(refused.code).toBe(4);
      expect(snapshot()).toEqual(before);
    });

    it('comment approve, spam, trash and delete --all --dry-run list what they would do and write nothing', () => {
      const post = create('--title', 'Commented', '--status', 'published');
      const c1 = sb
        .ok(['comment', 'add', post, '--author', 'Grace', '--email', 'grace@example.com', '--body', 'First', '--porcelain'])
        .trim();
      const c2 = sb
        .ok(['comment', 'add', post, '--author', 'Alan', '--email', 'alan@example.com', '--body', 'Second', '--porcelain'], {
          env: { TERMPRESS_NOW: '2026-03-01T12:01:00Z' },
        })
        .trim();
      const before = snapshot();
      const approve = sb.run(['comment', 'approve', '--all', '--dry-run']);
      expect(approve.code).toBe(0);
      expect(approve.stdout).toBe(
        `Would approve comment ${c1} by Grace on "Commented" (pending -> approved)\nWould approve comment ${c2} by Alan on "Commented" (pending -> approved)\n`,
      );
      expect(approve.stderr).toMatch(/Dry run: nothing was written/);
      expect(sb.ok(['comment', 'spam', '--all', '--email', 'alan@example.com', '--dry-run'])).toMatch(
        new RegExp(`^Would spam comment ${c2}`),
      );
      expect(sb.ok(['comment', 'trash', c1, '--dry-run'])).toMatch(new RegExp(`^Would trash comment ${c1}`));
      expect(sb.ok(['comment', 'delete', c1, '--force', '--dry-run'])).toMatch(new RegExp(`^Would delete comment ${c1}`));
      expect(snapshot()).toEqual(before);
      expect(sb.run(['comment', 'delete', c1, '--dry-run']).code).toBe(4);
    });
  });

  describe('quiet when nothing happened (cron)', () => {
    it('post publish --due with nothing due prints nothing on stdout, and nothing at all with -q', () => {
      create('--title', 'Later', '--at', FUTURE);
      const talk = sb.run(['post', 'publish', '--due']);
      expect(talk).toMatchObject({ code: 0, stdout: '' });
      expect(talk.stderr).toMatch(/No scheduled posts are due/);
      expect(sb.run(['-q', 'post', 'publish', '--due'])).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(sb.run(['post', 'publish', '--due', '-q'])).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    it('build -q prints nothing; build says what it did on stderr, and --json gives the report on stdout', () => {
      create('--title', 'Shown', '--status', 'published');
      expect(sb.run(['-q', 'build'])).toEqual({ code: 0, stdout: '', stderr: '' });
      const talk = sb.run(['build']);
      expect(talk.stdout).toBe('');
      expect(talk.stderr).toMatch(/^Built 1 post into /);
      expect(JSON.parse(sb.ok(['build', '--json', '-q']))).toMatchObject({ postsShown: 1 });
    });

    it('doctor on a clean blog says so on stderr, and -q prints nothing', () => {
      create('--title', 'Healthy');
      const talk = sb.run(['doctor']);
      expect(talk).toMatchObject({ code: 0, stdout: '' });
      expect(talk.stderr).toMatch(/Checked 1 posts .*\nNo problems found\.\n$/);
      expect(sb.run(['-q', 'doctor'])).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    it("the README's cron line prints nothing when nothing is due, and one line per post published", () => {
      const cron = () => {
        const publish = sb.run(['-q', 'post', 'publish', '--due']);
        const build = publish.code === 0 ? sb.run(['-q', 'build']) : { code: -1, stdout: '', stderr: '' };
        return { code: build.code, out: publish.stdout + publish.stderr + build.stdout + build.stderr };
      };
      expect(cron()).toEqual({ code: 0, out: '' });
      const id = create('--title', 'Due', '--at', '2026-03-01T13:00:00Z');
      sb.env.TERMPRESS_NOW = '2026-03-01T14:00:00Z';
      expect(cron()).toEqual({ code: 0, out: `Published ${id} "Due" (published on 2026-03-01 13:00)\n` });
      expect(cron()).toEqual({ code: 0, out: '' });
    });
  });
});
