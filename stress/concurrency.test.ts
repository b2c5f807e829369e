import { readFileSync } from 'node:fs';
import { openBlog } from '../src/api/blog.js';
import { ConflictError } from '../src/core/errors.js';
import { Sandbox } from '../__tests__/helpers/cli.js';
import { readPosts, run } from './procs.js';

// Many processes writing the same blog at once, through the built binary: nothing may be lost,
// nothing duplicated, every process told the truth about what it did.

// A generous wait: on two busy cores forty processes queue for the lock; a timeout would be an honest
// exit 5, but this test is about what is lost, so every process should get its turn.
const PATIENT = { TERMPRESS_LOCK_TIMEOUT_MS: '60000' };

let sb: Sandbox;
let blog: string;
beforeEach(() => {
  sb = new Sandbox();
  blog = sb.initBlog('--title', 'Concurrency');
});
afterEach(() => sb.cleanup());

test('40 processes adding comments to one post at once: 40 comments, 40 distinct ids, each as reported', async () => {
  const postId = sb.ok(['post', 'create', '--title', 'Busy post', '--status', 'published', '--porcelain']).trim();
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      run(
        sb,
        [
          'comment',
          'add',
          postId,
          '--author',
          `Reader ${i}`,
          '--email',
          `reader${i}@example.com`,
          '--ip',
          `10.0.0.${i}`,
          '--body',
          `Comment number ${i}`,
          '--porcelain',
        ],
        PATIENT,
      ),
    ),
  );
  for (const result of results) expect(result).toMatchObject({ code: 0, stderr: expect.not.stringMatching(/error/) });
  const reported = results.map((r) => r.stdout.trim());
  expect(new Set(reported).size).toBe(40);
  const post = readPosts(blog).get(postId);
  expect(post.comments).toHaveLength(40);
  expect(new Set(post.comments.map((c: { id: string }) => c.id))).toEqual(new Set(reported));
  expect(post.comments.map((c: { body: string }) => c.body).sort()).toEqual(
    Array.from({ length: 40 }, (_, i) => `Comment number ${i}`).sort(),
  );
  // Comments are no edits of the post: its revision stays.
  expect(post.revision).toBe(1);
  expect(sb.ok(['comment', 'list', '--post', postId, '--status', 'all', '--format', 'count'])).toBe('40\n');
});

test('15 processes creating posts with the same title: 15 posts with 15 distinct slugs', async () => {
  const results = await Promise.all(
    Array.from({ length: 15 }, () => run(sb, ['post', 'create', '--title', 'Hello World', '--porcelain'], PATIENT)),
  );
  for (const result of results) expect(result.code).toBe(0);
  const ids = results.map((r) => r.stdout.trim());
  expect(new Set(ids).size).toBe(15);
  const posts = readPosts(blog);
  expect([...posts.keys()].sort()).toEqual([...ids].sort());
  const slugs = [...posts.values()].map((p) => p.slug).sort();
  expect(slugs).toEqual(['hello-world', ...Array.from({ length: 14 }, (_, i) => `hello-world-${i + 2}`)].sort());
  expectDoctorClean(sb);
});

test('an edit in progress while comments arrive keeps both; an edit racing another edit of the same field is a conflict that keeps the text', async () => {
  const postId = sb
    .ok(['post', 'create', '--title', 'Being edited', '--body', 'First draft.', '--status', 'published', '--porcelain'])
    .trim();
  const lib = await openBlog({ blog, env: sb.env });
  // The edit begins (as `post edit` does when it opens the editor) ...
  const base = await lib.getPost(postId);
  // ... twenty readers comment meanwhile ...
  const comments = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      run(
        sb,
        [
          'comment',
          'add',
          postId,
          '--author',
          `R${i}`,
          '--email',
          `r${i}@example.com`,
          '--ip',
          `10.1.0.${i}`,
          '--body',
          `While you edit ${i}`,
          '--porcelain',
        ],
        PATIENT,
      ),
    ),
  );
  for (const result of comments) expect(result.code).toBe(0);
  // ... and the edit is saved against the revision it began from.
  const saved = await lib.updatePost(postId, { body: 'Second draft, written while comments came in.' }, { base, recoveryText: 'my text' });
  expect(saved.changed).toEqual(['body']);
  const post = readPosts(blog).get(postId);
  expect(post.body).toBe('Second draft, written while comments came in.');
  expect(post.comments).toHaveLength(20);
  expect(post.revision).toBe(base.revision + 1);

  // Another process changes the body while a second edit is open: that edit is refused, its text kept.
  const second = await lib.getPost(postId);
  const other = await run(sb, ['post', 'edit', postId, '--body', 'Changed by someone else.']);
  expect(other.code).toBe(0);
  const conflict = await lib
    .updatePost(postId, { body: 'My competing text.' }, { base: second, recoveryText: 'My competing text.' })
    .catch((e: unknown) => e);
  expect(conflict).toBeInstanceOf(ConflictError);
  expect(readFileSync((conflict as ConflictError).recoveryPath!, 'utf8')).toBe('My competing text.');
  expect(readPosts(blog).get(postId).body).toBe('Changed by someone else.');
});

test('mixed writers and readers at once: every write lands, every listing succeeds', async () => {
  const postId = sb.ok(['post', 'create', '--title', 'Mixed', '--status', 'published', '--porcelain']).trim();
  const jobs = Array.from({ length: 30 }, (_, i) => {
    switch (i % 5) {
      case 0:
        return run(sb, ['post', 'create', '--title', `Mixed ${i}`, '--porcelain'], PATIENT);
      case 1:
        return run(
          sb,
          [
            'comment',
            'add',
            postId,
            '--author',
            `M${i}`,
            '--email',
            `m${i}@example.com`,
            '--ip',
            `10.2.0.${i}`,
            '--body',
            `Mixed ${i}`,
            '--approve',
            '--porcelain',
          ],
          PATIENT,
        );
      case 2:
        return run(sb, ['post', 'edit', postId, '--add-tag', `tag${i}`], PATIENT);
      case 3:
        return run(sb, ['post', 'list', '--format', 'jsonl']);
      default:
        return run(sb, ['doctor', '--format', 'json']);
    }
  });
  const results = await Promise.all(jobs);
  results.forEach((result, i) => {
    // doctor may see a temp file of a write in flight (exit 5); everything else must succeed.
    if (i % 5 !== 4) expect({ i, code: result.code, stderr: result.stderr }).toEqual({ i, code: 0, stderr: expect.any(String) });
  });
  const posts = readPosts(blog);
  expect(posts.size).toBe(1 + 6);
  const post = posts.get(postId);
  expect(post.comments).toHaveLength(6);
  expect([...post.tags].sort()).toEqual(['tag12', 'tag17', 'tag2', 'tag22', 'tag27', 'tag7']);
  expectDoctorClean(sb);
});

/** doctor finds nothing: exit 0, its all-clear on stderr (talk), nothing on stdout. */
function expectDoctorClean(sandbox: Sandbox): void {
  const doctor = sandbox.run(['doctor']);
  expect({ code: doctor.code, stdout: doctor.stdout }).toEqual({ code: 0, stdout: '' });
  expect(doctor.stderr).toContain('No problems found.');
}
