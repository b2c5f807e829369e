import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Sandbox } from './helpers/cli.js';

const START = Date.parse('2026-11-27T10:00:00Z');
/** A clock a minute further for each run, so that the flood rule stays out of the way unless wanted. */
const minute = (n: number) => new Date(START + n * 60_000).toISOString();

const HOSTILE = 'Evil\u001b[31m red\u001b[0m \u001b]0;pwned\u0007 bell\u0007 csi\u009b2J osc\u009d8;;x\u009c \u202egnp.exe';

describe('termpress comment (end to end, as a script runs it)', () => {
  let sb: Sandbox;
  let blog: string;
  let postId: string;
  let clock: number;

  const at = () => ({ env: { TERMPRESS_NOW: minute(clock++) } });
  const run = (args: string[], input?: string) => sb.run(args, { ...at(), ...(input !== undefined ? { input } : {}) });
  const ok = (args: string[]) => sb.ok(args, at());
  const readPost = (id: string) => JSON.parse(readFileSync(path.join(blog, 'posts', `${id}.json`), 'utf8'));
  const add = (...args: string[]) => ok(['comment', 'add', 'hello-world', '--porcelain', ...args]).trim();
  const reader = (name: string, body: string, ...more: string[]) =>
    add('--author', name, '--email', `${name.toLowerCase()}@example.com`, '--ip', '192.0.2.1', '--body', body, ...more);

  beforeEach(() => {
    clock = 1;
    sb = new Sandbox({ TERMPRESS_NOW: minute(0) });
    blog = sb.initBlog('--title', 'Field notes', '--author', 'Owner');
    postId = sb.ok(['post', 'create', '--title', 'Hello world', '--status', 'published', '--porcelain']).trim();
  });
  afterEach(() => sb.cleanup());

  it('add holds a first comment, prints the outcome and the reason, and stores it in the post file', () => {
    const result = run([
      'comment',
      'add',
      'hello-world',
      '--author',
      'Grace',
      '--email',
      'grace@example.com',
      '--body',
      'Nice post',
      '--ip',
      '192.0.2.1',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Held for moderation comment [0-9a-z]{8} by Grace on "Hello world": first comment from this author\n$/);
    const [comment] = readPost(postId).comments;
    expect(comment).toMatchObject({ author: 'Grace', status: 'pending', reasons: ['first comment from this author'], ip: '192.0.2.1' });
    // A comment is no edit of the post: its revision and date stay as the author left them.
    expect(readPost(postId)).toMatchObject({ revision: 1, updatedAt: minute(0) });

    const id = reader('Ada', 'Hi', '--approve');
    expect(id).toMatch(/^[0-9a-z]{8}$/);
    expect(readPost(postId).comments[1]).toMatchObject({ id, status: 'approved' });
  });

  it('reads the body from standard input with --body-file -', () => {
    const id = sb
      .ok(['comment', 'add', postId, '--author', 'Ada', '--email', 'ada@example.com', '--body-file', '-', '--porcelain'], {
        input: 'From a mail hook\n',
      })
      .trim();
    expect(readPost(postId).comments[0]).toMatchObject({ id, body: 'From a mail hook' });
  });

  it('refuses with exit 4 and the reason, storing nothing; missing things are exit 3 and 2', () => {
    reader('Grace', 'First');
    const before = readFileSync(path.join(blog, 'posts', `${postId}.json`), 'utf8');
    // Same ip within 15 seconds: the clock does not move for this run.
    const flood = sb.run(
      ['comment', 'add', 'hello-world', '--author', 'Bob', '--email', 'bob@example.com', '--ip', '192.0.2.1', '--body', 'Me too'],
      { env: { TERMPRESS_NOW: minute(clock - 1) } },
    );
    expect(flood).toMatchObject({ code: 4, stdout: '' });
    expect(flood.stderr).toBe('error: Comment refused: Too fast: wait 15 seconds between comments.\n');

    const noEmail = run(['comment', 'add', 'hello-world', '--author', 'Bob', '--body', 'x']);
    expect(noEmail.code).toBe(4);
    expect(noEmail.stderr).toMatch(/An email is required/);
    const draft = sb.ok(['post', 'create', '--title', 'Draft', '--porcelain']).trim();
    expect(run(['comment', 'add', draft, '--author', 'Bob', '--email', 'b@example.com', '--body', 'x']).code).toBe(4);
    expect(readFileSync(path.join(blog, 'posts', `${postId}.json`), 'utf8')).toBe(before);

    const noPost = run(['comment', 'add', 'nope', '--author', 'Bob', '--email', 'b@example.com', '--body', 'x']);
    expect(noPost.code).toBe(3);
    const noBody = run(['comment', 'add', 'hello-world', '--author', 'Bob', '--email', 'b@example.com']);
    expect(noBody.code).toBe(2);
    expect(noBody.stderr).toMatch(/--body <text> or --body-file/);
    expect(run(['comment', 'show', 'zzzzzzzz']).code).toBe(3);
  });

  it('lists in every format, filters, and reports every bad option at once', () => {
    const a = reader('Grace', 'About kittens');
    const b = reader('Ada', 'About dogs', '--approve');
    const table = ok(['comment', 'list']);
    expect(table.split('\n')[0]).toMatch(/^ID\s+STATUS\s+DATE\s+AUTHOR\s+POST\s+COMMENT$/);
    expect(table).toContain('hello-world');
    const json = JSON.parse(ok(['comment', 'list', '--json']));
    expect(json.map((c: { id: string }) => c.id)).toEqual([b, a]);
    expect(json[0]).toMatchObject({ id: b, postId, parentId: null, status: 'approved', type: 'comment' });
    expect(ok(['comment', 'list', '--format', 'ids', '--oldest'])).toBe(`${a}\n${b}\n`);
    expect(ok(['comment', 'list', '--format', 'count', '--status', 'pending'])).toBe('1\n');
    expect(ok(['comment', 'list', '--format', 'jsonl', '--fields', 'id,author'])).toBe(
      `{"id":"${b}","author":"Ada"}\n{"id":"${a}","author":"Grace"}\n`,
    );
    expect(ok(['comment', 'list', '--format', 'csv', '--fields', 'id,status,body', '--search', 'kitten'])).toBe(
      `id,status,body\n${a},pending,About kittens\n`,
    );
    expect(ok(['comment', 'list', '--author', 'ada', '--format', 'ids'])).toBe(`${b}\n`);
    expect(ok(['comment', 'list', '--email', 'grace@example.com', '--format', 'ids'])).toBe(`${a}\n`);
    expect(ok(['comment', 'list', '--since', minute(clock + 10), '--format', 'count'])).toBe('0\n');

    const bad = run(['comment', 'list', '--format', 'xml', '--status', 'published', '--fields', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format.*; .*comment status "published".*; .*--fields/);
    const empty = run(['comment', 'list', '--status', 'trash']);
    expect(empty).toMatchObject({ code: 0, stdout: '' });
    expect(empty.stderr).toBe('No comments.\n');
  });

  it('show prints every field and the reasons; --json the data with the post id', () => {
    const a = reader('Grace', 'Look at http://a.example and http://b.example', '--url', 'https://grace.example');
    const text = ok(['comment', 'show', a.slice(0, 4)]);
    expect(text).toContain(`Comment ${a} pending`);
    expect(text).toContain('Grace <grace@example.com>');
    expect(text).toContain('https://grace.example');
    expect(text).toContain('2 links (limit 2); first comment from this author');
    expect(JSON.parse(ok(['comment', 'show', a, '--format', 'json']))).toMatchObject({ id: a, postId, status: 'pending' });
  });

  it('approves one by one, reporting each id, and fails (exit 3) when any id is missing', () => {
    const a = reader('Grace', 'One');
    const b = reader('Bob', 'Two');
    const result = run(['comment', 'approve', a, 'zzzz9999', b]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(
      `Approved comment ${a} by Grace on "Hello world" (pending -> approved)\nApproved comment ${b} by Bob on "Hello world" (pending -> approved)\n`,
    );
    expect(result.stderr).toMatch(/^error: No comment "zzzz9999"/);
    expect(readPost(postId).comments.map((c: { status: string }) => c.status)).toEqual(['approved', 'approved']);
    expect(ok(['comment', 'approve', a])).toBe(`Comment ${a} is already approved\n`);
  });

  it('works in bulk with --all and filters; spam and trash keep the status for unspam and restore', () => {
    const a = reader('Grace', 'One');
    const b = reader('Bob', 'Two');
    const c = reader('Carol', 'Three', '--approve');
    const spammed = ok(['comment', 'spam', '--all', '--author', 'bob']);
    expect(spammed).toBe(`Marked as spam comment ${b} by Bob on "Hello world" (pending -> spam)\n`);
    expect(ok(['comment', 'approve', '--all', '-y'])).toBe(`Approved comment ${a} by Grace on "Hello world" (pending -> approved)\n`);
    expect(ok(['comment', 'trash', '--all', '--status', 'approved', '--post', 'hello-world']).trim().split('\n')).toHaveLength(2);
    expect(ok(['comment', 'list', '--status', 'trash', '--format', 'ids', '--oldest'])).toBe(`${a}\n${c}\n`);
    ok(['comment', 'restore', '--all']);
    ok(['comment', 'unspam', b]);
    const statuses = Object.fromEntries(readPost(postId).comments.map((x: { id: string; status: string }) => [x.id, x.status]));
    expect(statuses).toEqual({ [a]: 'approved', [b]: 'pending', [c]: 'approved' });
    expect(readPost(postId).comments.every((x: object) => !('previousStatus' in x))).toBe(true);

    expect(run(['comment', 'unspam', a])).toMatchObject({ code: 4, stderr: `error: Comment ${a} is not spam (it is approved).\n` });
    expect(run(['comment', 'approve']).code).toBe(2);
    const both = run(['comment', 'approve', a, '--all']);
    expect(both.code).toBe(2);
    expect(run(['comment', 'approve', a, '--status', 'pending']).stderr).toMatch(/--status select comments with --all/);
    expect(run(['comment', 'approve', '--all', '--status', 'spam']).stderr).toBe('No comments match.\n');
  });

  it("in bulk across posts reports one line per id in the order given, and exits with the first failure's code", () => {
    const otherId = ok(['post', 'create', '--title', 'Other post', '--status', 'published', '--porcelain']).trim();
    const other = (name: string, ...more: string[]) =>
      ok([
        'comment',
        'add',
        otherId,
        '--porcelain',
        '--author',
        name,
        '--email',
        `${name.toLowerCase()}@example.com`,
        '--ip',
        '192.0.2.2',
        '--body',
        `${name} here`,
        ...more,
      ]).trim();
    const a1 = reader('Grace', 'One');
    const b1 = other('Bob');
    const a2 = reader('Ada', 'Two');
    const b2 = other('Eve', '--approve');
    ok(['comment', 'trash', b2]);

    // Interleaved posts, a missing id, a repeated id and a prefix: each line where its id stands.
    const result = run(['comment', 'approve', a1, b1, 'zzzz9999', a2.slice(0, 6), a1]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(
      [
        `Approved comment ${a1} by Grace on "Hello world" (pending -> approved)`,
        `Approved comment ${b1} by Bob on "Other post" (pending -> approved)`,
        `Approved comment ${a2} by Ada on "Hello world" (pending -> approved)`,
        `Comment ${a1} is already approved`,
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe(
      'error: No comment "zzzz9999": give an id or a unique prefix of 4+ characters (termpress comment list --status all).\n',
    );

    // The first failure decides the code: refused (4) before missing (3).
    const restore = run(['comment', 'restore', a1, b2, 'zzzz9999']);
    expect(restore.code).toBe(4);
    expect(restore.stdout).toBe(`Restored comment ${b2} by Eve on "Other post" (trash -> approved)\n`);
    expect(restore.stderr.split('\n').slice(0, 2)).toEqual([
      `error: Comment ${a1} is not in the trash (it is approved).`,
      'error: No comment "zzzz9999": give an id or a unique prefix of 4+ characters (termpress comment list --status all).',
    ]);
  });

  it('deletes a chain of replies in one go, each remaining reply moving up to the nearest ancestor left', () => {
    const a = reader('Grace', 'Top', '--approve');
    const b = add('--author', 'Bob', '--email', 'bob@example.com', '--body', 'B', '--parent', a, '--approve');
    const c = add('--author', 'Carol', '--email', 'carol@example.com', '--body', 'C', '--parent', b, '--approve');
    const d = add('--author', 'Dan', '--email', 'dan@example.com', '--body', 'D', '--parent', c, '--approve');
    ok(['comment', 'trash', c, b]);
    expect(ok(['comment', 'delete', c, b]).trim().split('\n')).toEqual([
      `Deleted comment ${c} by Carol on "Hello world"`,
      `Deleted comment ${b} by Bob on "Hello world"`,
    ]);
    const left = readPost(postId).comments.map((x: { id: string; parentId: string | null }) => [x.id, x.parentId]);
    expect(left).toEqual([
      [a, null],
      [d, a],
    ]);
  });

  it("a reader's comment, its approval and a reply leave the post's revision: post edit --if-revision still goes through", () => {
    const a = reader('Grace', 'A question?');
    ok(['comment', 'approve', a]);
    ok(['comment', 'reply', a, '--body', 'An answer.']);
    reader('Bob', 'Me too');
    const [listed] = JSON.parse(ok(['post', 'list', '--format', 'json']));
    expect(listed).toMatchObject({ revision: 1, updatedAt: minute(0), commentCounts: { approved: 2, pending: 1, spam: 0, trash: 0 } });
    const edit = run(['post', 'edit', 'hello-world', '--title', 'Hello again', '--if-revision', '1']);
    expect(edit).toMatchObject({ code: 0, stderr: '' });
    expect(edit.stdout).toMatch(/: title \(revision 2\)\n$/);
    expect(readPost(postId).comments).toHaveLength(3);
  });

  it('reports an ambiguous prefix as a usage error listing the candidates', () => {
    const a = reader('Grace', 'One');
    const post = readPost(postId);
    const twinId = `${a.slice(0, 6)}${a[6] === '0' ? '1' : '0'}${a[7]}`;
    post.comments.push({ ...post.comments[0], id: twinId, body: 'Twin' });
    writeFileSync(path.join(blog, 'posts', `${postId}.json`), JSON.stringify(post, null, 2));
    const result = run(['comment', 'approve', a.slice(0, 5)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(a);
    expect(result.stderr).toContain(twinId);
    expect(ok(['comment', 'approve', a])).toContain(`Approved comment ${a}`);
  });

  it('replies as the blog author, threaded under the comment in post show; edit and delete', () => {
    const a = reader('Grace', 'A question?');
    const reply = run(['comment', 'reply', a.slice(0, 6), '--body', 'An answer.']);
    expect(reply.code).toBe(0);
    expect(reply.stdout).toMatch(new RegExp(`^Replied [0-9a-z]{8} to comment ${a} on "Hello world"\\n$`));
    expect(reply.stderr).toContain(`Approved comment ${a} along with the reply.`);
    const shown = ok(['post', 'show', 'hello-world']);
    expect(shown).toMatch(/2 comments\n\n1\. Grace - .*\n {3}A question\?\n\n {3}1\.1\. Owner - .*\n {6}An answer\./);
    expect(run(['comment', 'reply', a]).code).toBe(2);

    expect(ok(['comment', 'edit', a, '--body', 'A better question?', '--url', 'https://grace.example'])).toBe(
      `Updated comment ${a}: url, body\n`,
    );
    expect(ok(['comment', 'edit', a, '--body', 'A better question?'])).toBe(`No changes to comment ${a}.\n`);
    expect(run(['comment', 'edit', a]).code).toBe(2);
    expect(run(['comment', 'edit', a, '--email', 'not-an-email']).code).toBe(2);

    const del = run(['comment', 'delete', a]);
    expect(del.code).toBe(4);
    expect(del.stderr).toMatch(/trash it first/);
    ok(['comment', 'trash', a]);
    expect(ok(['comment', 'delete', a])).toBe(`Deleted comment ${a} by Grace on "Hello world"\n`);
    const left = readPost(postId).comments;
    expect(left).toHaveLength(1);
    expect(left[0].parentId).toBeNull();
  });

  it('hides the comments of a trashed post from every list but --status all, and brings them back', () => {
    const a = reader('Grace', 'One', '--approve');
    sb.ok(['post', 'trash', postId]);
    expect(ok(['comment', 'list', '--format', 'count'])).toBe('0\n');
    expect(ok(['comment', 'list', '--status', 'approved', '--format', 'count'])).toBe('0\n');
    expect(ok(['comment', 'list', '--status', 'all', '--format', 'ids'])).toBe(`${a}\n`);
    sb.ok(['post', 'restore', postId]);
    expect(ok(['comment', 'list', '--format', 'ids'])).toBe(`${a}\n`);
  });

  it('takes moderation rules from config set moderation.*, validated', () => {
    expect(run(['config', 'set', 'moderation.holdWords', '["casino", "loan"]']).code).toBe(0);
    expect(run(['config', 'set', 'moderation.blockWords', 'viagra, pills']).code).toBe(0);
    expect(ok(['config', 'get', 'moderation.holdWords'])).toBe('["casino","loan"]\n');
    reader('Known', 'hi', '--approve');
    const held = run(['comment', 'add', postId, '--author', 'Known', '--email', 'known@example.com', '--body', 'Best CASINO deals']);
    expect(held.stdout).toMatch(/Held for moderation .*: matched hold word "casino"\n$/);
    const spam = run(['comment', 'add', postId, '--author', 'X', '--email', 'x@example.com', '--body', 'cheap pills']);
    expect(spam.stdout).toMatch(/Marked as spam .*: matched block word "pills"\n$/);
    const bad = run(['config', 'set', 'moderation.maxLinks', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/moderation\.maxLinks: expected a whole number/);
    expect(run(['config', 'set', 'moderation.holdAll', 'yes']).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(blog, 'termpress.json'), 'utf8')).moderation).toMatchObject({
      holdAll: true,
      holdWords: ['casino', 'loan'],
      blockWords: ['viagra', 'pills'],
    });
  });

  it('lets no escape sequence or control character from a comment reach the terminal', () => {
    const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    const hostile = ['--author', `Mallory${HOSTILE}`, '--email', 'm@example.com', '--body', `Hello ${HOSTILE}\nline two\u0007`];
    const added = run(['comment', 'add', postId, ...hostile, '--user-agent', HOSTILE]);
    expect(added.code).toBe(0);
    const held = readPost(postId).comments[0];
    expect(held.body).toContain('\u001b[31m');
    const approved = run(['comment', 'approve', held.id]);
    const reply = run(['comment', 'reply', held.id, '--body', 'Go away.']);
    const outputs = [
      added,
      approved,
      reply,
      run(['comment', 'list']),
      run(['comment', 'list', '--format', 'csv', '--fields', 'id,author,body,userAgent']),
      run(['comment', 'list', '--json']),
      run(['comment', 'list', '--format', 'jsonl']),
      run(['comment', 'show', held.id]),
      run(['comment', 'show', held.id, '--json']),
      run(['post', 'show', 'hello-world']),
      run(['comment', 'show', `\u001b]0;pwned\u0007zz`]),
    ];
    for (const result of outputs) {
      expect(result.stdout).not.toMatch(unsafe);
      expect(result.stderr).not.toMatch(unsafe);
    }
    expect(outputs[7]!.stdout).toContain('Hello Evil red  bell csi osc gnp.exe\nline two');
    expect(outputs[9]!.stdout).toContain('Mallory');
    // JSON keeps the text, escaped: a program reading it gets the comment as it was written.
    const json = JSON.parse(outputs[5]!.stdout);
    expect(json.find((c: { id: string }) => c.id === held.id).body).toBe(held.body);
    expect(outputs[5]!.stdout).toContain('\\u001b[31m');
    expect(outputs[5]!.stdout).toContain('\\u009b');
  });
});
