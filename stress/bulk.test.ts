import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Sandbox } from '../__tests__/helpers/cli.js';
import { readPosts, run, start } from './procs.js';

// A long bulk run through the built binary over many posts, and readers commenting on another post
// while it goes: with the default lock timeout, every comment gets in between the run's posts, and
// the run finishes its work. The posts are large (2,500 comments) with few of them pending, so each
// post is long to write and quick to report: a writer that only polled for the lock would hardly ever
// find it free between two posts. BULK_POSTS overrides the number of posts (default 40).

const POSTS = Number(process.env.BULK_POSTS ?? 40);
const PER_POST = 2500;
const PENDING = 5;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function idOf(lead: string, n: number): string {
  let id = '';
  for (let k = 0, m = n; k < 7; k++, m = Math.floor(m / 32)) id = ALPHABET[m % 32] + id;
  return `${lead}${id}`;
}

let sb: Sandbox;
let blog: string;
beforeEach(() => {
  sb = new Sandbox();
  blog = sb.initBlog('--title', 'Bulk');
});
afterEach(() => sb.cleanup());

test(`approve --all over ${POSTS} posts of ${PER_POST} comments, ${PENDING} of them pending: comments on another post get in meanwhile`, async () => {
  const quiet = sb.ok(['post', 'create', '--title', 'Quiet', '--status', 'published', '--porcelain']).trim();
  const at = '2026-01-01T00:00:00.000Z';
  mkdirSync(path.join(blog, 'posts'), { recursive: true });
  for (let p = 0; p < POSTS; p++) {
    const id = idOf('p', p);
    const comments = Array.from({ length: PER_POST }, (_, n) => ({
      id: idOf('c', p * PER_POST + n),
      parentId: null,
      author: `Reader ${n}`,
      email: `reader${n}@example.com`,
      url: '',
      ip: '192.0.2.1',
      userAgent: 'stress',
      body: `Comment ${n} on post ${p}`,
      status: n < PENDING ? 'pending' : 'approved',
      createdAt: at,
      updatedAt: at,
      type: 'comment',
      reasons: [],
    }));
    const post = {
      id,
      slug: `post-${p}`,
      title: `Post ${p}`,
      author: 'Stress',
      status: 'published',
      categories: [],
      tags: [],
      excerpt: '',
      body: 'Body',
      format: 'markdown',
      createdAt: at,
      updatedAt: at,
      publishedAt: at,
      commentStatus: 'open',
      sticky: false,
      revision: 1,
      comments,
    };
    writeFileSync(path.join(blog, 'posts', `${id}.json`), `${JSON.stringify(post, null, 2)}\n`);
  }

  const bulk = start(sb, ['comment', 'approve', '--all', '-y']);
  // Wait until the run has written its first post: from then on it holds the lock post after post.
  const firstPost = path.join(blog, 'posts', `${idOf('p', 0)}.json`);
  while (readFileSync(firstPost, 'utf8').includes('"pending"')) {
    expect(bulk.child.exitCode).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const comments = await Promise.all(
    Array.from({ length: 3 }, (_, i) =>
      run(sb, [
        'comment',
        'add',
        quiet,
        '--author',
        `Ada ${i}`,
        '--email',
        `ada${i}@example.com`,
        '--body',
        `Meanwhile ${i}`,
        '--approve',
        '--porcelain',
      ]),
    ),
  );
  const runWasGoing = bulk.child.exitCode === null;
  for (const result of comments) expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  // The comments came in while the run was still going, not after it.
  expect(runWasGoing).toBe(true);

  const done = await bulk.done;
  expect(done.code).toBe(0);
  expect(done.stdout.trimEnd().split('\n')).toHaveLength(POSTS * PENDING);
  const posts = readPosts(blog);
  expect(
    posts
      .get(quiet)
      .comments.map((c: { body: string }) => c.body)
      .sort(),
  ).toEqual(['Meanwhile 0', 'Meanwhile 1', 'Meanwhile 2']);
  for (let p = 0; p < POSTS; p++) {
    const post = posts.get(idOf('p', p));
    expect(post.comments.every((c: { status: string }) => c.status === 'approved')).toBe(true);
    expect(post.revision).toBe(1);
  }
  expect((await run(sb, ['doctor'])).code).toBe(0);
});
