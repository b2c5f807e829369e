/**
 * The post document round trip: every post termpress can store, written as a document (the export's
 * exact form and the editor's), reads back as the same fields, and a post created from it through the
 * api has every field of the first.
 */
import fc from 'fast-check';
import { openBlog } from '../src/api/blog.js';
import { documentOfPost, editorDocument, readEditedPost, readPostDocument, writePostDocument } from '../src/core/post-document.js';
import { cleanPostText, makePost } from '../src/core/posts.js';
import { postProblem } from '../src/core/schema.js';
import { slugProblem } from '../src/core/slug.js';
import { POST_STATUSES } from '../src/core/types.js';
import type { Post } from '../src/core/types.js';
import { toJsonText } from '../src/store/fsx.js';
import { canonicalPost, textWithComments } from '../src/store/schema.js';
import { markdownFileOf } from '../src/wxr/export-markdown.js';
import { removeDir, tempDir } from './helpers/cli.js';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Australia/Lord_Howe'];

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('1.0', 'true', 'null', '~', '- a', '#x', '"q"', "'", ': x', 'a: b', '[a]', '{}', '---', '*x', '&y'),
);
// A body is the author's text, kept as written: anything well-formed without NUL.
const body = fc
  .oneof(text, fc.constantFrom('', '\n', '\r\nafter a blank line', '---\nnot front matter\n---\n', '\ufeffbom', 'line\r\nline\n\n'))
  .map((s) => s.replace(/\u0000/g, '').replace(/\p{Surrogate}/gu, ''));
const slug = fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,3}$/).filter((s) => slugProblem(s) === null);
const instant = (min: number, max: number) => fc.integer({ min, max }).map((ms) => new Date(ms));

/** A post as the store keeps one: every text field cleaned the way createPost and updatePost clean it. */
const storedPost: fc.Arbitrary<Post> = fc
  .record({
    title: text,
    slug,
    author: text,
    status: fc.constantFrom(...POST_STATUSES),
    categories: fc.array(text, { maxLength: 4 }),
    tags: fc.array(text, { maxLength: 4 }),
    excerpt: text,
    body,
    format: fc.constantFrom('markdown' as const, 'html' as const),
    commentStatus: fc.constantFrom('open' as const, 'closed' as const),
    sticky: fc.boolean(),
    past: instant(Date.UTC(1971, 0, 1), NOW.getTime() - 2 * 60_000),
    future: instant(NOW.getTime() + 2 * 60_000, Date.UTC(2090, 0, 1)),
    undated: fc.boolean(),
  })
  .map((r) => {
    const clean = cleanPostText({ title: r.title, author: r.author, categories: r.categories, tags: r.tags, excerpt: r.excerpt });
    const post = makePost(
      {
        ...clean,
        title: clean.title || 'Untitled',
        slug: r.slug,
        body: r.body,
        format: r.format,
        commentStatus: r.commentStatus,
        sticky: r.sticky,
      },
      NOW,
    );
    const dated = r.status === 'published' || r.status === 'scheduled' || !r.undated;
    const date = r.status === 'scheduled' ? r.future : r.status === 'published' ? r.past : r.undated ? null : r.past;
    return { ...post, id: 'abcd2345', status: r.status, publishedAt: dated && date ? date.toISOString() : null };
  });

/** What a document says of a post, by the post's own field names. */
function postFieldsOf(doc: Awaited<ReturnType<typeof readPostDocument>>) {
  return {
    title: doc.title,
    slug: doc.slug,
    status: doc.status,
    publishedAt: doc.date === undefined ? undefined : doc.date === null ? null : doc.date.toISOString(),
    author: doc.author,
    categories: doc.categories,
    tags: doc.tags,
    excerpt: doc.excerpt,
    commentStatus: doc.comments,
    format: doc.format,
    sticky: doc.sticky,
    body: doc.body,
  };
}

function documentFieldsOf(post: Post) {
  const { title, slug, status, publishedAt, author, categories, tags, excerpt, commentStatus, format, sticky, body } = post;
  return { title, slug, status, publishedAt, author, categories, tags, excerpt, commentStatus, format, sticky, body };
}

describe('a post read back from its document', () => {
  test('the exact form (export, recovery) gives back every field', async () => {
    await fc.assert(
      fc.asyncProperty(storedPost, fc.constantFrom(...ZONES), async (post, timezone) => {
        const written = writePostDocument(documentOfPost(post), { timezone, dates: 'exact' });
        const read = await readPostDocument(written, { where: 'the document', now: NOW, timezone });
        expect(postFieldsOf(read)).toEqual(documentFieldsOf(post));
      }),
      { numRuns: 300 },
    );
  });

  test('the Markdown export gives back every field (the body with the final newline the file adds)', async () => {
    await fc.assert(
      fc.asyncProperty(storedPost, fc.constantFrom(...ZONES), async (post, timezone) => {
        const read = await readPostDocument(markdownFileOf(post, timezone), { where: 'the export', now: NOW, timezone });
        const body = post.body.endsWith('\n') ? post.body : `${post.body}\n`;
        expect(postFieldsOf(read)).toEqual({ ...documentFieldsOf(post), body });
      }),
      { numRuns: 200 },
    );
  });

  test('the editor form gives back every field when nothing was changed', async () => {
    await fc.assert(
      fc.asyncProperty(storedPost, fc.constantFrom(...ZONES), async (post, timezone) => {
        const edited = await readEditedPost(editorDocument(post, timezone), { base: post, now: NOW, timezone });
        expect(postFieldsOf(edited)).toEqual(documentFieldsOf(post));
      }),
      { numRuns: 200 },
    );
  });

  test('a post created from the exported document through the api has every field of the first', async () => {
    const dir = tempDir();
    try {
      const blog = await openBlog({ blog: dir, now: () => NOW, env: {} });
      await blog.init({ timezone: 'Europe/Paris' });
      await fc.assert(
        fc.asyncProperty(storedPost, async (post) => {
          const doc = await readPostDocument(writePostDocument(documentOfPost(post), { timezone: 'Europe/Paris', dates: 'exact' }), {
            where: 'the document',
            now: NOW,
            timezone: 'Europe/Paris',
          });
          const created = await blog.createPost({
            title: doc.title!,
            slug: doc.slug,
            status: doc.status,
            at: doc.date ?? undefined,
            author: doc.author,
            categories: doc.categories,
            tags: doc.tags,
            excerpt: doc.excerpt,
            commentStatus: doc.comments,
            format: doc.format,
            sticky: doc.sticky,
            body: doc.body,
          });
          try {
            expect(documentFieldsOf(created)).toEqual(documentFieldsOf(post));
          } finally {
            await blog.deletePost(created.id, { force: true });
          }
        }),
        { numRuns: 40 },
      );
    } finally {
      removeDir(dir);
    }
  });
});

test('the generated posts are posts the store accepts', () => {
  fc.assert(
    fc.property(storedPost, (post) => {
      expect(postProblem(post)).toBeNull();
    }),
    { numRuns: 100 },
  );
});

describe("a post's file with comments added", () => {
  // Text that looks like the lines the comments are found by, or that a RegExp takes for a line end.
  const tricky = fc.oneof(text, fc.constantFrom('\u2028', 'a\u2029b', '\n  ]', '\n  "comments": [', '  "comments": [],', '],\n  ]'));
  const comment = fc.record({
    id: fc.stringMatching(/^[a-z0-9]{8}$/),
    parentId: fc.option(fc.stringMatching(/^[a-z0-9]{8}$/), { nil: null }),
    author: tricky,
    email: text,
    url: text,
    ip: tricky,
    userAgent: text,
    body: fc.oneof(body, tricky),
    status: fc.constantFrom('pending' as const, 'approved' as const, 'spam' as const, 'trash' as const),
    createdAt: fc.constant(NOW.toISOString()),
    updatedAt: fc.constant(NOW.toISOString()),
    type: fc.constant('comment' as const),
    reasons: fc.array(text, { maxLength: 3 }),
  });
  // Keys of another version or tool, before and after "comments" in the file's order, and nested lists.
  const extra = fc.record(
    { aaa: fc.array(fc.array(tricky, { maxLength: 2 }), { maxLength: 2 }), zzz: fc.dictionary(tricky, tricky, { maxKeys: 2 }) },
    { requiredKeys: [] },
  );

  it('is the text of the whole post written anew, the comments it had not written out again', () => {
    fc.assert(
      fc.property(
        storedPost,
        fc.array(comment, { maxLength: 4 }),
        fc.array(comment, { minLength: 1, maxLength: 3 }),
        extra,
        fc.option(text, { nil: undefined }),
        (post, had, added, more, extraOnComment) => {
          const withExtra = extraOnComment === undefined ? added : [{ ...added[0]!, zzz: extraOnComment }, ...added.slice(1)];
          const before = { ...post, ...more, comments: had };
          const after = { ...before, comments: [...had, ...withExtra] };
          expect(textWithComments(toJsonText(canonicalPost(before)), withExtra)).toBe(toJsonText(canonicalPost(after)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
