/**
 * Drafting in the terminal, driven in-process: a context that looks like a terminal, answers scripted
 * through the prompt wrapper, and a scripted $EDITOR that really runs.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../src/cli/main.js';
import { CTRL_C, ENTER, FAKE_EDITOR, editorSteps, terminalContext } from './fixtures/drafting/scripted.js';
import type { Answer } from './fixtures/drafting/scripted.js';
import { Sandbox } from './helpers/cli.js';

const NOW = '2026-11-27T10:00:00Z';

describe('termpress drafting, in-process with scripted answers', () => {
  let sb: Sandbox;
  let blog: string;

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: NOW });
    blog = sb.initBlog('--title', 'Field notes', '--timezone', 'Europe/Paris', '--author', 'Ada');
  });
  afterEach(() => sb.cleanup());

  const postIds = () =>
    readdirSync(path.join(blog, 'posts'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
  const readPost = (id: string) => JSON.parse(readFileSync(path.join(blog, 'posts', `${id}.json`), 'utf8'));
  const recoveryDir = () => path.join(blog, '.termpress', 'recovery');
  const recoveryFiles = () => (existsSync(recoveryDir()) ? readdirSync(recoveryDir()).map((f) => path.join(recoveryDir(), f)) : []);
  const seen = (steps: string) => JSON.parse(readFileSync(`${steps}.seen.json`, 'utf8')) as Array<{ text: string }>;

  /** Runs termpress in a pretend terminal with these answers and editor steps. */
  async function drive(args: string[], answers: Answer[], steps: object[] = [{ keep: true }], env: NodeJS.ProcessEnv = {}) {
    const stepsFile = editorSteps(sb.root, steps);
    const { CI: _ci, VISUAL: _v, ...base } = sb.env;
    const term = terminalContext({
      cwd: sb.cwd,
      env: { ...base, NO_COLOR: '1', EDITOR: `node ${FAKE_EDITOR}`, FAKE_EDITOR_STEPS: stepsFile, ...env },
      answers,
    });
    const code = await main(['node', 'termpress', ...args], term.ctx);
    return {
      code,
      stdout: term.stdout.text,
      stderr: term.stderr.text,
      asked: term.prompter.asked,
      prompter: term.prompter,
      steps: stepsFile,
    };
  }

  describe('post create', () => {
    it('asks title, categories, tags, opens the editor, previews, and Enter through saves a draft', async () => {
      const run = await drive(['post', 'create'], ['My first draft', ENTER, ENTER, ENTER], [{ body: 'Written in the editor.\n' }]);
      expect(run.stderr).not.toMatch(/error/);
      expect(run.code).toBe(0);
      expect(run.asked).toEqual(['Title', 'Categories (comma list, Enter for none)', 'Tags (comma list)', 'What next?']);
      expect(run.stderr).toMatch(/Title\s+My first draft/);
      expect(run.stderr).toMatch(/Body\s+1 line, 4 words\n\s+Written in the editor\./);
      expect(run.stdout).toMatch(/^Created \w{8} "My first draft" \(draft\) with slug my-first-draft\n$/);
      const [id] = postIds();
      expect(readPost(id!)).toMatchObject({
        title: 'My first draft',
        status: 'draft',
        body: 'Written in the editor.\n',
        author: 'Ada',
        categories: [],
        tags: [],
      });
      expect(recoveryFiles()).toEqual([]);
    });

    it('offers the existing categories and tags, takes new ones, and keeps one spelling per tag', async () => {
      sb.ok(['post', 'create', '--title', 'Old', '--category', 'Travel,Food', '--tag', 'JavaScript,rust']);
      sb.ok(['post', 'create', '--title', 'Older', '--category', 'Travel', '--tag', 'rust']);
      const run = await drive(
        ['post', 'create'],
        ['Lisbon', ['Travel', 'New categories…'], 'Cities, food', 'javascript, trams', ENTER],
        [{ body: 'Trams and tiles.\n' }],
      );
      expect(run.code).toBe(0);
      expect(run.asked).toEqual([
        'Title',
        'Categories (space to tick, Enter to accept)',
        'New categories (comma list)',
        'Tags (comma list; in use: rust, JavaScript)',
        'What next?',
      ]);
      const id = postIds().find((i) => readPost(i).title === 'Lisbon')!;
      expect(readPost(id)).toMatchObject({ categories: ['Travel', 'Cities', 'Food'], tags: ['JavaScript', 'trams'] });
    });

    it('does not ask again what the flags already say', async () => {
      const run = await drive(
        ['post', 'create', '--category', 'News', '--tag', 'a,b', '--body', 'Given.', '--status', 'pending'],
        ['Flagged'],
      );
      expect(run.code).toBe(0);
      expect(run.asked).toEqual(['Title']);
      expect(existsSync(`${run.steps}.seen.json`)).toBe(false);
      const [id] = postIds();
      expect(readPost(id!)).toMatchObject({ title: 'Flagged', categories: ['News'], tags: ['a', 'b'], body: 'Given.', status: 'pending' });
    });

    it('publishes now, or schedules at a date asked again until it reads and lies ahead', async () => {
      const published = await drive(['post', 'create'], ['Now', ENTER, ENTER, 'Publish now'], [{ body: 'x\n' }]);
      expect(published.code).toBe(0);
      expect(published.stdout).toMatch(/"Now" \(published on 2026-11-27 11:00\)/);
      const scheduled = await drive(
        ['post', 'create'],
        ['Later', ENTER, ENTER, 'Schedule…', 'someday soon-ish', 'yesterday', 'tomorrow 9am'],
        [{ body: 'y\n' }],
      );
      expect(scheduled.code).toBe(0);
      expect(scheduled.prompter.refusals).toEqual([
        expect.stringMatching(/^Cannot read "someday soon-ish" as a date/),
        expect.stringMatching(/^That is not in the future/),
      ]);
      const id = postIds().find((i) => readPost(i).title === 'Later')!;
      // 9am in Paris is 8:00 UTC in November.
      expect(readPost(id)).toMatchObject({ status: 'scheduled', publishedAt: '2026-11-28T08:00:00.000Z' });
    });

    it('Discard creates nothing, exits 0, and keeps the written text in recovery', async () => {
      const run = await drive(['post', 'create'], ['Gone', ENTER, ENTER, 'Discard'], [{ body: 'Second thoughts.\n' }]);
      expect(run.code).toBe(0);
      expect(postIds()).toEqual([]);
      const [kept] = recoveryFiles();
      expect(run.stderr).toContain(`Discarded: no post was created. The text is kept in ${kept}`);
      expect(readFileSync(kept!, 'utf8')).toMatch(/^---\ntitle: Gone\n[\s\S]*---\nSecond thoughts\.\n$/);
    });

    it('Ctrl-C at the first prompt exits 130 with one line and creates nothing', async () => {
      const run = await drive(['post', 'create'], [CTRL_C]);
      expect(run.code).toBe(130);
      expect(run.stderr).toBe('error: Cancelled.\n');
      expect(postIds()).toEqual([]);
      expect(recoveryFiles()).toEqual([]);
    });

    it('Ctrl-C after the editor ran exits 130, creates nothing, and keeps the text', async () => {
      const run = await drive(['post', 'create'], ['Almost', 'news', ENTER, CTRL_C], [{ body: 'Precious words.\n' }]);
      expect(run.code).toBe(130);
      expect(postIds()).toEqual([]);
      const [kept] = recoveryFiles();
      expect(run.stderr.trim().split('\n').pop()).toBe(
        `error: Cancelled. Your text is kept in ${kept} (termpress post create --from ${kept} tries again).`,
      );
      const again = sb.run(['post', 'create', '--porcelain', '--from', kept!]);
      expect(again.code).toBe(0);
      expect(readPost(again.stdout.trim())).toMatchObject({ title: 'Almost', categories: ['news'], body: 'Precious words.\n' });
      // Picked up and saved: the kept file goes, so that recovery files do not pile up.
      expect(again.stderr).toContain(`Removed ${kept}: its text is saved.`);
      expect(recoveryFiles()).toEqual([]);
    });

    it('post create --from a file of your own never removes it, and a failed create keeps a recovery file', async () => {
      const own = path.join(sb.cwd, 'draft.md');
      writeFileSync(own, '---\ntitle: Mine\n---\nBody.\n');
      sb.ok(['post', 'create', '--from', own]);
      expect(existsSync(own)).toBe(true);
      const run = await drive(['post', 'create'], ['Kept', ENTER, ENTER, CTRL_C], [{ body: 'Words.\n' }]);
      const [kept] = recoveryFiles();
      expect(run.code).toBe(130);
      // A create that fails (an invalid slug given by hand) leaves the kept file for another try.
      const taken = sb.run(['post', 'create', '--from', kept!, '--slug', 'x/y']);
      expect(taken.code).toBe(2);
      expect(recoveryFiles()).toEqual([kept]);
    });

    it('post create --from reports every bad field of the file at once, the status and date with the rest', async () => {
      const file = path.join(sb.cwd, 'bad.md');
      writeFileSync(file, '---\ntitle: Bad\nstatus: published\ndate: 2099-01-01 09:00\ncomments: maybe\nsticky: yes\n---\nBody.\n');
      const run = sb.run(['post', 'create', '--from', file]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `error: In ${file}: Comments must be open or closed, not "maybe"; Sticky must be true or false, not "yes"; ` +
          `Date 2099-01-01 09:00 is in the future: set status: scheduled, or empty the date to publish now.\n`,
      );
      expect(postIds()).toEqual([]);
    });

    it('a failed save after the editor keeps the text and prints where', async () => {
      const run = await drive(['post', 'create', '--slug', 'Not A Slug'], ['Bad slug', ENTER, ENTER, ENTER], [{ body: 'Keep me.\n' }]);
      expect(run.code).toBe(2);
      expect(postIds()).toEqual([]);
      const [kept] = recoveryFiles();
      expect(run.stderr.trim().split('\n').pop()).toBe(
        `error: Invalid slug "Not A Slug": a slug may hold only lowercase letters, digits and single hyphens; try --slug not-a-slug. ` +
          `Your text is kept in ${kept} (termpress post create --from ${kept} tries again).`,
      );
      expect(readFileSync(kept!, 'utf8')).toContain('Keep me.\n');
    });

    it('an editor that fails after writing cancels (130) and keeps what it wrote', async () => {
      const run = await drive(['post', 'create'], ['Crash', ENTER, ENTER], [{ body: 'half a thought\n', exit: 1 }]);
      expect(run.code).toBe(130);
      expect(postIds()).toEqual([]);
      expect(run.stderr).toMatch(/The editor \(node .*fake-editor\.mjs\) exited with code 1; nothing was saved\. Your text is kept in /);
      expect(readFileSync(recoveryFiles()[0]!, 'utf8')).toContain('half a thought');
    });

    it('warns about an editor that returns at once without changes', async () => {
      const run = await drive(['post', 'create'], ['Fast', ENTER, ENTER, ENTER], [{ keep: true }]);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/warning: The editor .* returned at once without changes.*EDITOR="code --wait"/);
    });

    it('uses the configured editor over $EDITOR, with its arguments split like a shell', async () => {
      sb.ok(['config', '--global', 'set', 'editor', `node "${FAKE_EDITOR}" --wait`]);
      const run = await drive(['post', 'create'], ['Configured', ENTER, ENTER, ENTER], [{ body: 'via config\n' }], { EDITOR: 'false' });
      expect(run.code).toBe(0);
      expect(seen(run.steps)[0]).toMatchObject({ args: ['--wait'] });
      expect(readPost(postIds()[0]!).body).toBe('via config\n');
    });
  });

  describe('templates', () => {
    it('the package template starts the editor; --template picks another, with placeholders filled', async () => {
      const plain = await drive(['post', 'create'], ['Plain', ENTER, ENTER, ENTER], [{ keep: true }]);
      expect(plain.code).toBe(0);
      // The package template has no body: the editor opens on the hint alone, below the scissors line.
      expect(seen(plain.steps)[0]!.text).toMatch(/^\n# -{24} >8 -{24}\n# Write the post above, in Markdown\./);
      expect(readPost(postIds()[0]!).body).toBe('');
      const link = await drive(
        ['post', 'create', '--template', 'link'],
        ['A good read', ['Links'], ENTER, ENTER],
        [{ replace: ['Why', 'Because'] }],
      );
      expect(link.code).toBe(0);
      expect(seen(link.steps)[0]!.text).toMatch(
        /^\[A good read\]\(https:\/\/example\.com\/\) — found on 2026-11-27\.\n\nWhy it is worth reading:\n\n# -{24} >8/,
      );
      const id = postIds().find((i) => readPost(i).title === 'A good read')!;
      expect(readPost(id)).toMatchObject({
        categories: ['Links'],
        body: '[A good read](https://example.com/) — found on 2026-11-27.\n\nBecause it is worth reading:\n',
      });
    });

    it("a blog's own templates/ folder wins, and init --templates copies the defaults without overwriting", async () => {
      const copied = sb.ok(['init', blog, '--templates']);
      expect(copied).toMatch(/Copied template .*templates\/post\.md/);
      expect(readFileSync(path.join(blog, 'templates', 'post.md'), 'utf8')).toContain('Placeholders are written in double curly braces');
      writeFileSync(
        path.join(blog, 'templates', 'post.md'),
        '---\ntitle: "Week {{date}}"\ncategories: [Weekly]\ntags: [log]\nexcerpt: Notes by {{author}}\n---\n# {{title}}\n\nBy {{author}} for {{blog}}, {{ year }}/{{month}}/{{day}} ({{unknown}}).\n',
      );
      const again = sb.run(['init', blog, '--templates']);
      expect(again.code).toBe(0);
      expect(again.stderr).toMatch(/Kept .*post\.md \(already there\)/);
      const run = await drive(['post', 'create'], [ENTER, ENTER, ENTER, ENTER], [{ keep: true }]);
      expect(run.code).toBe(0);
      expect(seen(run.steps)[0]!.text).toMatch(
        /^# Week 2026-11-27\n\nBy Ada for Field notes, 2026\/11\/27 \(\{\{unknown\}\}\)\.\n\n# -{24} >8/,
      );
      expect(readPost(postIds()[0]!)).toMatchObject({
        title: 'Week 2026-11-27',
        categories: ['Weekly'],
        tags: ['log'],
        excerpt: 'Notes by Ada',
      });
    });

    it('a missing template is exit 3 naming the folders searched; without a terminal --template fills the body', async () => {
      const missing = sb.run(['post', 'create', '--title', 'x', '--template', 'nope']);
      expect(missing.code).toBe(3);
      expect(missing.stderr).toMatch(/No template "nope": looked for nope\.md in .*blog\/templates and .*\/templates/);
      const id = sb.ok(['post', 'create', '--porcelain', '--title', 'Scripted link', '--template', 'link']).trim();
      expect(readPost(id)).toMatchObject({ categories: ['Links'], body: expect.stringContaining('[Scripted link](https://example.com/)') });
    });
  });

  describe('post edit in the editor', () => {
    let id: string;
    beforeEach(() => {
      id = sb
        .ok(['post', 'create', '--porcelain', '--title', 'Draft one', '--body', 'First body.', '--category', 'News', '--tag', 'a,b'])
        .trim();
    });

    it('opens the post as Markdown with front matter; an unchanged file is "No changes", revision untouched', async () => {
      const run = await drive(['post', 'edit', id], [], [{ wait: 1100, keep: true }]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`No changes to ${id} (revision 1).\n`);
      expect(run.stderr).toBe('');
      const text = seen(run.steps)[0]!.text;
      expect(text).toMatch(/^---\n# Save and quit to apply/);
      expect(text).toContain(
        '\ntitle: Draft one\nslug: draft-one\nstatus: draft\ndate:\nauthor: Ada\ncategories:\n  - News\ntags:\n  - a\n  - b\n' +
          'excerpt: ""\ncomments: open\nformat: markdown\nsticky: false\n---\nFirst body.',
      );
      expect(readPost(id).revision).toBe(1);
    });

    it('an editor that returns at once unchanged gets the --wait warning', async () => {
      const run = await drive(['post', 'edit', id], [], [{ keep: true }]);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/warning: .*EDITOR="code --wait"/);
    });

    it('writes only what changed, one revision up', async () => {
      const run = await drive(['post', 'edit', id], [], [{ replace: ['title: Draft one', 'title: Draft two'] }, { keep: true }]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`Updated ${id} "Draft two" (draft): title (revision 2)\n`);
      expect(readPost(id)).toMatchObject({ title: 'Draft two', slug: 'draft-one', body: 'First body.', revision: 2 });
      const body = await drive(['post', 'edit', id], [], [{ body: 'New body.\n' }]);
      expect(body.stdout).toMatch(/: body \(revision 3\)/);
      expect(readPost(id).body).toBe('New body.\n');
      const newline = await drive(['post', 'edit', id], [], [{ replace: ['New body.\n', 'New body.'] }]);
      expect(newline.stdout).toBe(`No changes to ${id} (revision 3).\n`);
    });

    it('invalid front matter is kept in recovery first, then re-opened on that text and saved when fixed', async () => {
      const run = await drive(
        ['post', 'edit', id],
        [ENTER],
        [{ replace: ['title: Draft one', 'title: [Broken'] }, { replace: ['title: [Broken', 'title: Mended'] }],
      );
      expect(run.code).toBe(0);
      expect(run.asked).toEqual(['What now?']);
      const kept = /Your text is kept in (\S+)\.\n/.exec(run.stderr)?.[1];
      expect(run.stderr).toMatch(
        /^error: The front matter of your text does not parse as YAML \(line \d+\): .*Your text is kept in \S+\.\n/,
      );
      expect(kept).toContain(recoveryDir());
      expect(seen(run.steps)[1]!.text).toContain('title: [Broken');
      expect(readPost(id)).toMatchObject({ title: 'Mended', revision: 2 });
      // Once the re-edit is saved, the kept text has done its work and goes.
      expect(run.stderr).toContain(`Removed ${kept}: its text is saved.`);
      expect(recoveryFiles()).toEqual([]);
    });

    it('an invalid value, then Quit: exit 2, the post untouched, the text in recovery', async () => {
      const run = await drive(
        ['post', 'edit', id],
        ['Quit (the post stays as it was)'],
        [{ replace: ['status: draft', 'status: finished'] }],
      );
      expect(run.code).toBe(2);
      const [kept] = recoveryFiles();
      expect(run.stderr).toContain('error: In your text: Status must be draft, pending, scheduled, published or trash, not "finished".');
      expect(run.stderr).toContain(
        `error: The post was not changed. Your text is kept in ${kept} (termpress post edit ${id} --from ${kept} --if-revision 1 tries again).`,
      );
      expect(readFileSync(kept!, 'utf8')).toContain('status: finished');
      expect(readPost(id).revision).toBe(1);
    });

    it.each([
      ['a scheduled post in the past', ['status: draft', 'status: scheduled'], /A scheduled post needs a future date/],
      ['an unreadable date', ['re:^date:.*$', "date: 'whenever'"], /Cannot read the date "whenever"/],
      ['an unknown key', ['excerpt:', 'exerpt:'], /Unknown key "exerpt"/],
      ['a bad slug', ['slug: draft-one', 'slug: Draft One'], /Invalid slug "Draft One"/],
      ['comments neither open nor closed', ['comments: open', 'comments: maybe'], /Comments must be open or closed, not "maybe"/],
    ])('%s is an invalid value kept in recovery', async (_name, replace, message) => {
      const run = await drive(['post', 'edit', id], [CTRL_C], [{ replace }]);
      expect(run.code).toBe(130);
      expect(run.stderr).toMatch(message);
      expect(recoveryFiles()).toHaveLength(1);
      expect(readPost(id).revision).toBe(1);
    });

    it('a change underneath to a field the edit changes is a conflict: exit 4, text in recovery', async () => {
      const run = await drive(
        ['post', 'edit', id],
        [],
        [{ run: ['post', 'edit', id, '--title', 'Theirs'], replace: ['title: Draft one', 'title: Mine'] }],
      );
      expect(run.code).toBe(4);
      const [kept] = recoveryFiles();
      expect(run.stderr).toMatch(
        new RegExp(`^error: Edit conflict: post ${id} changed since the edit began \\(title\\)\\. Your text is kept in ${kept}\\.`),
      );
      expect(readFileSync(kept!, 'utf8')).toContain('title: Mine');
      expect(readPost(id)).toMatchObject({ title: 'Theirs', revision: 2 });
    });

    it('a change underneath to another field is no conflict', async () => {
      const run = await drive(['post', 'edit', id], [], [{ run: ['post', 'edit', id, '--excerpt', 'Theirs'], body: 'Mine.\n' }]);
      expect(run.code).toBe(0);
      expect(readPost(id)).toMatchObject({ excerpt: 'Theirs', body: 'Mine.\n', revision: 3 });
    });

    it('status changes become transitions: publish, move the date, schedule, unpublish, trash', async () => {
      const published = await drive(['post', 'edit', id], [], [{ replace: ['status: draft', 'status: published'] }]);
      expect(published.code).toBe(0);
      expect(published.stdout).toMatch(/\(published on 2026-11-27 11:00\): status, date \(revision 2\)/);
      expect(readPost(id)).toMatchObject({ status: 'published', publishedAt: '2026-11-27T10:00:00.000Z' });
      const moved = await drive(['post', 'edit', id], [], [{ replace: ['re:^date: .*$', "date: '2026-11-20 08:30'"] }]);
      expect(moved.stdout).toMatch(/: date \(revision 3\)/);
      expect(readPost(id).publishedAt).toBe('2026-11-20T07:30:00.000Z');
      const scheduled = await drive(
        ['post', 'edit', id],
        [],
        [
          {
            replace: [
              ['status: published', 'status: scheduled'],
              ['re:^date: .*$', 'date: 2026-12-01 09:00'],
            ],
          },
        ],
      );
      expect(scheduled.code).toBe(0);
      expect(readPost(id)).toMatchObject({ status: 'scheduled', publishedAt: '2026-12-01T08:00:00.000Z' });
      const early = await drive(['post', 'edit', id], [CTRL_C], [{ replace: ['status: scheduled', 'status: published'] }]);
      expect(early.code).toBe(130);
      expect(early.stderr).toMatch(/Date 2026-12-01 09:00 is in the future: set status: scheduled, or empty the date to publish now/);
      // The date line was left as it was: the draft keeps it as the date a later publish uses.
      const drafted = await drive(['post', 'edit', id], [], [{ replace: ['status: scheduled', 'status: draft'] }]);
      expect(drafted.code).toBe(0);
      expect(readPost(id)).toMatchObject({ status: 'draft', publishedAt: '2026-12-01T08:00:00.000Z' });
      const trashed = await drive(['post', 'edit', id], [], [{ replace: ['status: draft', 'status: trash'] }]);
      expect(trashed.code).toBe(0);
      expect(readPost(id)).toMatchObject({ status: 'trash', previousStatus: 'draft' });
      const pending = await drive(['post', 'edit', id], [], [{ replace: ['status: trash', 'status: pending'] }]);
      expect(pending.code).toBe(0);
      expect(readPost(id).status).toBe('pending');
    });

    it('every bad field of an edit, the status and date with them, is reported in one round', async () => {
      const run = await drive(
        ['post', 'edit', id],
        [CTRL_C],
        [
          {
            replace: [
              ['status: draft', 'status: published'],
              ['re:^date:.*$', 'date: 2099-01-01 09:00'],
              ['comments: open', 'comments: maybe'],
            ],
          },
        ],
      );
      expect(run.code).toBe(130);
      expect(run.stderr).toMatch(
        /^error: In your text: Comments must be open or closed, not "maybe"; Date 2099-01-01 09:00 is in the future: set status: scheduled, or empty the date to publish now\. Your text is kept in /,
      );
      expect(readPost(id).revision).toBe(1);
    });

    it('an edit that takes several rounds keeps one recovery file, written over each round and removed once saved', async () => {
      // The real clock, so that each round would be a file of its own if rounds did not share one.
      const { TERMPRESS_NOW: _now, ...env } = sb.env;
      sb.env = env;
      const run = await drive(
        ['post', 'edit', id],
        [ENTER, ENTER],
        [
          { replace: ['comments: open', 'comments: maybe'] },
          { replace: ['comments: maybe', 'comments: perhaps'] },
          {
            replace: [
              ['comments: perhaps', 'comments: closed'],
              ['title: Draft one', 'title: Draft two'],
            ],
          },
        ],
      );
      expect(run.code).toBe(0);
      const files = [...run.stderr.matchAll(/Your text is kept in (\S+)\.\n/g)].map((m) => m[1]);
      expect(files).toHaveLength(2);
      expect(files[1]).toBe(files[0]);
      expect(run.stderr).toContain(`Removed ${files[0]}: its text is saved.`);
      expect(recoveryFiles()).toEqual([]);
      expect(readPost(id)).toMatchObject({ title: 'Draft two', commentStatus: 'closed', revision: 2 });
    });

    it('post edit --from a file: what differs is written; --if-revision refuses a post written since (exit 4)', async () => {
      const file = path.join(sb.cwd, 'edit.md');
      writeFileSync(file, '---\ntitle: From a file\ntags: [a, b, c]\n---\nFirst body.');
      const stale = sb.run(['post', 'edit', id, '--from', file, '--if-revision', '2']);
      expect(stale.code).toBe(4);
      expect(stale.stderr).toMatch(/^error: Edit conflict: post \w+ is at revision 1, not 2: someone wrote to it since\./);
      const done = sb.run(['post', 'edit', id, '--from', file, '--if-revision', '1']);
      expect(done.code).toBe(0);
      expect(done.stdout).toBe(`Updated ${id} "From a file" (draft): title, tags (revision 2)\n`);
      expect(readPost(id)).toMatchObject({ title: 'From a file', tags: ['a', 'b', 'c'], categories: ['News'], body: 'First body.' });
      expect(existsSync(file)).toBe(true);
      const both = sb.run(['post', 'edit', id, '--from', file, '--title', 'x']);
      expect(both.code).toBe(2);
    });

    it('without a terminal, post edit with no field flags stays a usage error (exit 2)', async () => {
      const result = sb.run(['post', 'edit', id]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Nothing to change/);
    });
  });
});
