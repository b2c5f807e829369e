/** Table tests of the drafting helpers: splitting editor commands, placeholders, reading post documents. */
import { fillPlaceholders, placeholderValues } from '../src/api/templates.js';
import { splitCommand } from '../src/cli/editor.js';
import { UsageError } from '../src/core/errors.js';
import { editorDocument, readEditedPost } from '../src/core/post-document.js';
import { makePost } from '../src/core/posts.js';

describe('splitCommand', () => {
  it.each([
    ['vi', ['vi']],
    ['code --wait', ['code', '--wait']],
    ['  subl   -n -w ', ['subl', '-n', '-w']],
    [`"/Applications/My Editor.app/bin/ed" --wait`, ['/Applications/My Editor.app/bin/ed', '--wait']],
    [`emacsclient -a '' -c`, ['emacsclient', '-a', '', '-c']],
    [String.raw`my\ editor -x "say \"hi\""`, ['my editor', '-x', 'say "hi"']],
  ])('%s', (command, words) => {
    expect(splitCommand(command)).toEqual(words);
  });

  it('refuses an unclosed quote', () => {
    expect(() => splitCommand(`code "--wait`)).toThrow(UsageError);
  });
});

describe('placeholders', () => {
  const values = placeholderValues({
    now: new Date('2026-11-27T23:30:00Z'),
    timezone: 'Europe/Paris',
    author: 'Ada',
    blogTitle: 'Notes',
    title: 'Hi',
    categories: ['A', 'B'],
  });
  it.each([
    ['{{date}} {{time}}', '2026-11-28 00:30'],
    ['{{ year }}/{{month}}/{{day}}', '2026/11/28'],
    ['{{title}} by {{author}} on {{blog}}', 'Hi by Ada on Notes'],
    ['{{categories}}', 'A, B'],
    ['{{tags}} {{nope}} {{Title}}', '{{tags}} {{nope}} {{Title}}'],
    ['{{datetime}}', '2026-11-27T23:30:00.000Z'],
  ])('%s', (text, filled) => {
    expect(fillPlaceholders(text, values)).toBe(filled);
  });
});

describe('post documents', () => {
  const now = new Date('2026-11-27T10:00:00Z');
  const base = { ...makePost({ title: 'T', slug: 't', author: 'A', body: 'B' }, now), id: 'abcd2345' };

  it('reads back what it writes, unchanged', async () => {
    const text = editorDocument(base, 'UTC');
    const edited = await readEditedPost(text, { base, now, timezone: 'UTC' });
    expect(edited).toMatchObject({
      title: 'T',
      slug: 't',
      status: 'draft',
      categories: [],
      tags: [],
      excerpt: '',
      date: null,
      comments: 'open',
      body: 'B',
    });
  });

  it.each([
    ['no front matter', 'just text', /front matter of your text is missing/],
    ['an empty title', '---\ntitle: ""\nslug: t\nstatus: draft\n---\n', /Title may not be empty/],
    ['a list as title', '---\ntitle: [a]\nslug: t\nstatus: draft\n---\n', /Title must be text/],
    [
      'an unknown status',
      '---\ntitle: T\nslug: t\nstatus: done\n---\n',
      /Status must be draft, pending, scheduled, published or trash, not "done"/,
    ],
    ['tags that are not names', '---\ntitle: T\nslug: t\nstatus: draft\ntags: {a: 1}\n---\n', /Tags must be a list/],
    ['a date on a published post in the future', '---\ntitle: T\nslug: t\nstatus: published\ndate: 2027-01-01\n---\n', /in the future/],
  ])('refuses %s', async (_name, text, message) => {
    await expect(readEditedPost(text, { base, now, timezone: 'UTC' })).rejects.toThrow(message);
  });

  it('reads an unquoted YAML date in the blog time zone', async () => {
    const text = '---\ntitle: T\nslug: t\nstatus: scheduled\ndate: 2026-12-01\n---\nB';
    const edited = await readEditedPost(text, { base, now, timezone: 'Europe/Paris' });
    expect(edited.date?.toISOString()).toBe('2026-11-30T23:00:00.000Z');
  });
});
