import fc from 'fast-check';
import path from 'node:path';
import { openBlog } from '../src/api/blog.js';
import type { Blog } from '../src/api/blog.js';
import { runDoctor } from '../src/api/doctor.js';
import { setupGit } from '../src/api/git.js';
import { syncBlog } from '../src/api/sync.js';
import type { CommentStatus } from '../src/core/types.js';
import { readFileSync } from 'node:fs';
import { GitWorld } from './helpers/git.js';

// Two clones of one blog, each changed by random operations and synced through a real bare remote at
// random moments, never lose an acknowledged comment or edit: after a last round of syncs both hold
// exactly what a model of every acknowledged operation says. The operations are those that never
// truly conflict (each author writes their own part of a body, only one retitles, comment statuses
// only move forward), so every difference from the model would be a lost change.

const RUNS = Number(process.env.TERMPRESS_PROPERTY_RUNS ?? 6);

type Side = 'a' | 'b';
type Op =
  | { kind: 'sync'; on: Side }
  | { kind: 'comment'; on: Side; pick: number }
  | { kind: 'advance'; on: Side; pick: number }
  | { kind: 'body'; on: Side; pick: number }
  | { kind: 'tag'; on: Side; pick: number; remove: boolean }
  | { kind: 'title'; pick: number }
  | { kind: 'create'; on: Side };

const side = fc.constantFrom<Side>('a', 'b');
const pick = fc.nat(1000);
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('sync' as const), on: side }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('comment' as const), on: side, pick }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('advance' as const), on: side, pick }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('body' as const), on: side, pick }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('tag' as const), on: side, pick, remove: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('title' as const), pick }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('create' as const), on: side }), weight: 1 },
);

/** Each side writes its own line of a body, with stable lines between, so that body edits never overlap. */
const LINE: Record<Side, number> = { a: 0, b: 6 };
const body = (a: string, b: string) => `A: ${a}\n\nstable one\nstable two\nstable three\n\nB: ${b}\n`;

/** What every acknowledged operation says a post must hold. */
interface ModelPost {
  title: string;
  lines: Record<Side, string>;
  tags: Set<string>;
  comments: Map<string, CommentStatus>;
}

const NEXT: Partial<Record<CommentStatus, 'approve' | 'spam' | 'trash'>> = { pending: 'approve', approved: 'spam', spam: 'trash' };

describe('two clones synced at random moments', () => {
  it('never lose an acknowledged comment or edit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 24 }), async (ops) => {
        const world = new GitWorld();
        try {
          let tick = 0;
          const now = () => new Date(Date.UTC(2026, 0, 1) + tick * 1000);
          const open = (dir: string) => openBlog({ blog: dir, env: world.env, now });
          const env = world.env;
          const model = new Map<string, ModelPost>();

          const a = await open(path.join(world.root, 'a'));
          await a.init({ title: 'Shared' });
          await setupGit(a, { init: true, env });
          world.git(a.dir, ['remote', 'add', 'origin', world.remote]);
          const first = await a.createPost({ title: 'Post 0', body: body('-', '-'), status: 'published' });
          model.set(first.id, { title: first.title, lines: { a: '-', b: '-' }, tags: new Set(), comments: new Map() });
          await syncBlog(a, { env });
          world.git(world.root, ['clone', '--quiet', world.remote, path.join(world.root, 'b')]);
          const b = await open(path.join(world.root, 'b'));
          await setupGit(b, { env });
          const blogs: Record<Side, Blog> = { a, b };

          const postOf = async (blog: Blog, n: number) => {
            const posts = (await blog.listPosts({ status: ['published'] })).sort((x, y) => (x.id < y.id ? -1 : 1));
            return posts[n % posts.length]!.id;
          };

          for (const [i, step] of ops.entries()) {
            tick++;
            if (step.kind === 'sync') {
              const report = await syncBlog(blogs[step.on], { env });
              expect(report.conflicts).toEqual([]);
            } else if (step.kind === 'comment') {
              const id = await postOf(blogs[step.on], step.pick);
              const { comment } = await blogs[step.on].addComment(id, {
                author: `Reader ${i}`,
                email: `reader${i}@example.com`,
                ip: `192.0.2.${i + 1}`,
                body: `Comment ${i}`,
              });
              model.get(id)!.comments.set(comment.id, comment.status);
            } else if (step.kind === 'advance') {
              const entries = (await blogs[step.on].listComments({ status: ['pending', 'approved', 'spam'] })).sort((x, y) =>
                x.comment.id < y.comment.id ? -1 : 1,
              );
              if (entries.length === 0) continue;
              const { comment, post } = entries[step.pick % entries.length]!;
              const change = await blogs[step.on].setCommentStatus({ postId: post.id, commentId: comment.id }, NEXT[comment.status]!);
              model.get(post.id)!.comments.set(comment.id, change.comment.status);
            } else if (step.kind === 'body') {
              const blog = blogs[step.on];
              const id = await postOf(blog, step.pick);
              const lines = (await blog.getPost(id)).body.split('\n');
              lines[LINE[step.on]] = `${step.on.toUpperCase()}: ${i}`;
              await blog.updatePost(id, { body: lines.join('\n') });
              model.get(id)!.lines[step.on] = String(i);
            } else if (step.kind === 'tag') {
              const blog = blogs[step.on];
              const id = await postOf(blog, step.pick);
              const tags = (await blog.getPost(id)).tags;
              if (step.remove && tags.length > 0) {
                const gone = tags[step.pick % tags.length]!;
                await blog.updatePost(id, { removeTags: [gone] });
                model.get(id)!.tags.delete(gone);
              } else {
                await blog.updatePost(id, { addTags: [`tag-${i}`] });
                model.get(id)!.tags.add(`tag-${i}`);
              }
            } else if (step.kind === 'title') {
              const id = await postOf(a, step.pick);
              await a.updatePost(id, { title: `Title ${i}` });
              model.get(id)!.title = `Title ${i}`;
            } else {
              const created = await blogs[step.on].createPost({ title: `Post ${i}`, body: body('-', '-'), status: 'published' });
              model.set(created.id, { title: created.title, lines: { a: '-', b: '-' }, tags: new Set(), comments: new Map() });
            }
          }
          for (const last of ['a', 'b', 'a'] as const) {
            tick++;
            expect((await syncBlog(blogs[last], { env })).conflicts).toEqual([]);
          }

          for (const blog of [a, b]) {
            const posts = await blog.listPosts({ status: ['published'] });
            expect(posts.map((p) => p.id).sort()).toEqual([...model.keys()].sort());
            for (const [id, want] of model) {
              const post = await blog.getPost(id);
              expect(post.title).toBe(want.title);
              expect(post.body).toBe(body(want.lines.a, want.lines.b));
              expect(new Set(post.tags)).toEqual(want.tags);
              expect(new Map(post.comments.map((c) => [c.id, c.status]))).toEqual(want.comments);
              expect(post.conflicts).toBeUndefined();
            }
            expect((await runDoctor(blog)).findings).toEqual([]);
          }
          for (const id of model.keys()) {
            const file = (blog: Blog) => readFileSync(path.join(blog.dir, 'posts', `${id}.json`), 'utf8');
            expect(file(a)).toBe(file(b));
          }
        } finally {
          world.cleanup();
        }
      }),
      { numRuns: RUNS },
    );
  }, 900_000);
});
