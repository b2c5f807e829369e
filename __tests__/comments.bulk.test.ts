/**
 * Bulk moderation at size: a bulk command reads and writes each post once, whatever the number of its
 * comments, and lets other writers have the lock between posts. Commands run in-process, so the post
 * writes can be counted; the other writer is a real process.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openBlog } from '../src/api/blog.js';
import type { Blog } from '../src/api/blog.js';
import { main } from '../src/cli/main.js';
import type { Comment, CommentStatus } from '../src/core/types.js';
import { acquireLock, waitingFor } from '../src/store/lock.js';
import { BlogStore } from '../src/store/store.js';
import { terminalContext } from './fixtures/drafting/scripted.js';
import { BIN, Sandbox } from './helpers/cli.js';

const NOW = '2026-03-01T12:00:00.000Z';
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A valid comment id: a letter for the post, then the number in base 32. */
function idOf(lead: string, n: number): string {
  let id = '';
  for (let k = 0, m = n; k < 7; k++, m = Math.floor(m / 32)) id = ALPHABET[m % 32] + id;
  return `${lead}${id}`;
}

function comments(lead: string, count: number, status: CommentStatus): Comment[] {
  return Array.from({ length: count }, (_, n) => {
    const at = new Date(Date.parse('2026-01-01T00:00:00Z') + n * 60_000).toISOString();
    return {
      id: idOf(lead, n),
      parentId: null,
      author: `Reader ${n}`,
      email: `reader${n}@example.com`,
      url: '',
      ip: '192.0.2.1',
      userAgent: 'test',
      body: `Comment ${n}`,
      status,
      createdAt: at,
      updatedAt: at,
      type: 'comment',
      reasons: [],
    };
  });
}

describe('bulk comment actions at size', () => {
  let sb: Sandbox;
  let dir: string;
  let blog: Blog;
  let writes: string[];
  let restoreWritePost: () => void;

  const readPost = (id: string) => JSON.parse(readFileSync(path.join(dir, 'posts', `${id}.json`), 'utf8'));
  const statuses = (id: string) => new Set(readPost(id).comments.map((c: Comment) => c.status));

  /** A published post holding these comments, written as they are. */
  async function postWith(title: string, list: Comment[]): Promise<string> {
    const { id } = await blog.createPost({ title, status: 'published' });
    await blog.writeLocked(async () => blog.store.writePost({ ...(await blog.store.readPost(id)), comments: list }));
    return id;
  }

  /** Runs termpress in-process, as a script would (no terminal). */
  async function termpress(...args: string[]) {
    const term = terminalContext({ cwd: sb.cwd, env: { ...sb.env, TERMPRESS_NOW: NOW }, answers: [], tty: false });
    const code = await main(['node', 'termpress', ...args], term.ctx);
    return { code, stdout: term.stdout.text, stderr: term.stderr.text };
  }

  beforeEach(async () => {
    sb = new Sandbox({ TERMPRESS_NOW: NOW });
    dir = sb.initBlog('--title', 'Busy blog');
    blog = await openBlog({ blog: dir, env: sb.env });
    // Every post file write, counted by post id.
    const original = Object.getOwnPropertyDescriptor(BlogStore.prototype, 'writePost')!;
    writes = [];
    BlogStore.prototype.writePost = async function (this: BlogStore, post) {
      writes.push(post.id);
      return (original.value as BlogStore['writePost']).call(this, post);
    };
    restoreWritePost = () => Object.defineProperty(BlogStore.prototype, 'writePost', original);
  });
  afterEach(() => {
    restoreWritePost();
    sb.cleanup();
  });

  it('approve --all over 3,000 pending comments of one post writes that post once, and reports each comment', async () => {
    const big = await postWith('Big', comments('b', 3000, 'pending'));
    const small = await postWith('Small', comments('s', 5, 'pending'));
    const quiet = await postWith('Quiet', comments('q', 3, 'approved'));
    writes = [];
    const result = await termpress('comment', 'approve', '--all', '-y');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3005);
    expect(lines[0]).toBe(`Approved comment ${idOf('b', 0)} by Reader 0 on "Big" (pending -> approved)`);
    expect(lines.every((line) => line.startsWith('Approved comment '))).toBe(true);
    expect(writes.sort()).toEqual([big, small].sort());
    expect(statuses(big)).toEqual(new Set(['approved']));
    expect(statuses(small)).toEqual(new Set(['approved']));
    expect(readPost(quiet).comments).toHaveLength(3);
    expect(readPost(big).comments.map((c: Comment) => c.updatedAt)).toEqual(Array.from({ length: 3000 }, () => NOW));
  });

  it('ids given one by one (whole or a prefix), then delete --all: one write per post each time', async () => {
    const big = await postWith('Big', comments('b', 2000, 'approved'));
    const ids = readPost(big).comments.map((c: Comment) => c.id);
    writes = [];
    const given = [...ids.slice(1), ids[0].slice(0, 8)];
    const spam = await termpress('comment', 'spam', ...given);
    expect(spam.code).toBe(0);
    expect(spam.stdout.trimEnd().split('\n')).toHaveLength(2000);
    expect(spam.stdout.trimEnd().split('\n')[1999]).toBe(`Marked as spam comment ${ids[0]} by Reader 0 on "Big" (approved -> spam)`);
    expect(writes).toEqual([big]);
    expect(readPost(big).comments.every((c: Comment) => c.status === 'spam' && c.previousStatus === 'approved')).toBe(true);

    writes = [];
    const deleted = await termpress('comment', 'delete', '--all', '--status', 'spam', '-y');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout.trimEnd().split('\n')).toHaveLength(2000);
    expect(writes).toEqual([big]);
    expect(readPost(big).comments).toEqual([]);
  });

  it('a comment on another post gets in between the posts of a bulk run, instead of waiting for its end', async () => {
    const posts = [];
    for (const lead of ['c', 'd', 'e', 'f']) posts.push(await postWith(`Post ${lead}`, comments(lead, 20, 'pending')));
    const quiet = await postWith('Quiet', []);
    const targets = posts.flatMap((postId) => readPost(postId).comments.map((c: Comment) => ({ postId, commentId: c.id })));
    const firstOf = new Map(posts.map((postId, k) => [k * 20, postId]));

    let writer: Promise<number | null> | undefined;
    const quietWhenEachPostWasDone: number[] = [];
    await blog.setCommentStatuses(targets, 'approve', {
      onOutcome: async (index) => {
        if (!firstOf.has(index)) return;
        // The run has written a post and is about to take the lock for the next one.
        quietWhenEachPostWasDone.push(readPost(quiet).comments.length);
        if (writer) return;
        // Hold the lock here, start a writer on another post, and let go once it waits for the lock:
        // the run must let that writer in before its next post.
        const held = await acquireLock(blog.store.layout.lockFile);
        const child = spawn(
          process.execPath,
          [BIN, 'comment', 'add', quiet, '--author', 'Ada', '--email', 'ada@example.com', '--body', 'Meanwhile.', '--approve'],
          {
            env: { ...sb.env, TERMPRESS_LOCK_TIMEOUT_MS: '60000' },
            stdio: 'ignore',
          },
        );
        writer = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
        while ((await waitingFor(blog.store.files, blog.store.layout.lockFile)) === 0)
          await new Promise((resolve) => setTimeout(resolve, 10));
        await held.release();
      },
    });
    expect(await writer).toBe(0);
    // Before the run's second post was written, the comment on the quiet post was.
    expect(quietWhenEachPostWasDone).toEqual([0, 1, 1, 1]);
    for (const postId of posts) expect(statuses(postId)).toEqual(new Set(['approved']));
  });
});
