import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { openBlog } from '../src/api/blog.js';
import type { Blog } from '../src/api/blog.js';
import { NotFoundError, UsageError } from '../src/core/errors.js';
import { ID_ALPHABET, MIN_PREFIX, isIdPrefix } from '../src/core/ids.js';
import { cleanTitle } from '../src/core/posts.js';
import { MAX_SLUG_BYTES } from '../src/core/limits.js';
import { slugFromTitle, slugProblem, uniqueSlug } from '../src/core/slug.js';
import type { Comment, Post } from '../src/core/types.js';
import { removeDir, tempDir } from './helpers/cli.js';

// Properties of the pure parts that keep files safe and references unambiguous. slugFromTitle's own
// validity property lives in core.test.ts and the moderation decision's totality in
// moderation.test.ts; these add what those do not cover.

const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('..', '../x', '/', '\\', '.', '\u0000', 'con', '-', '--'),
);

describe('slugs are safe file names, and unique', () => {
  test('a slug that passes the check is one plain file name: no separators, dots, or room to climb out of posts/', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.stringMatching(/^[a-z0-9-]{0,210}$/)), (slug) => {
        if (slugProblem(slug) !== null) return;
        expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_BYTES);
        const file = path.join('/blog/posts', `${slug}.json`);
        expect(path.dirname(file)).toBe('/blog/posts');
        expect(path.basename(file)).toBe(`${slug}.json`);
      }),
      { numRuns: 500 },
    );
  });

  test('uniqueSlug never returns a taken slug, and what it returns is always a valid slug', () => {
    fc.assert(
      fc.property(anyText, fc.array(fc.integer({ min: 2, max: 40 }), { maxLength: 30 }), fc.boolean(), (title, suffixes, takeBase) => {
        const base = slugFromTitle(title);
        const taken = new Set<string>(suffixes.map((n) => `${base.slice(0, MAX_SLUG_BYTES - `-${n}`.length).replace(/-+$/, '')}-${n}`));
        if (takeBase) taken.add(base);
        const slug = uniqueSlug(base, (s) => taken.has(s));
        expect(taken.has(slug)).toBe(false);
        expect(slugProblem(slug)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  test('making N slugs from one title in turn gives N distinct valid slugs (what N concurrent creates get under the lock)', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 25 }), (title, n) => {
        const taken = new Set<string>();
        for (let i = 0; i < n; i++) taken.add(uniqueSlug(slugFromTitle(title), (s) => taken.has(s)));
        expect(taken.size).toBe(n);
        for (const slug of taken) expect(slugProblem(slug)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  test('a slug ending in a number keeps it when made unique, and a slug at the limit stays within it', () => {
    expect(uniqueSlug('my-top-10', (s) => s === 'my-top-10')).toBe('my-top-10-2');
    const long = 'a'.repeat(MAX_SLUG_BYTES);
    expect(uniqueSlug(long, (s) => s === long)).toBe(`${'a'.repeat(MAX_SLUG_BYTES - 2)}-2`);
    // Letters of other scripts take several bytes each; the suffix never splits one.
    const wide = '日'.repeat(MAX_SLUG_BYTES / 3);
    const unique = uniqueSlug(wide, (s) => s === wide);
    expect(unique).toBe(`${'日'.repeat(Math.floor((MAX_SLUG_BYTES - 2) / 3))}-2`);
    expect(Buffer.byteLength(unique)).toBeLessThanOrEqual(MAX_SLUG_BYTES);
  });

  test('a cleaned title has no control characters, escapes or line breaks, whatever came in', () => {
    fc.assert(
      fc.property(anyText, (title) => {
        const clean = cleanTitle(`${title}\u001b[31m\r\n\t${title}\u0007`);
        expect(clean).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        expect(clean).toBe(clean.trim());
      }),
      { numRuns: 300 },
    );
  });
});

// ---- id prefixes resolve or fail clearly -------------------------------------------------------------

const AT = '2026-01-01T00:00:00.000Z';

function comment(id: string): Comment {
  return {
    id,
    parentId: null,
    author: 'Reader',
    email: 'r@example.com',
    url: '',
    ip: '',
    userAgent: '',
    body: 'Hi',
    status: 'approved',
    createdAt: AT,
    updatedAt: AT,
    type: 'comment',
    reasons: [],
  };
}

function post(id: string, slug: string, commentIds: string[]): Post {
  return {
    id,
    slug,
    title: slug,
    author: 'A',
    status: 'published',
    categories: [],
    tags: [],
    excerpt: '',
    body: '',
    format: 'markdown',
    createdAt: AT,
    updatedAt: AT,
    publishedAt: AT,
    commentStatus: 'open',
    sticky: false,
    revision: 1,
    comments: commentIds.map(comment),
  };
}

/** Ids from a four-letter corner of the alphabet, so that they share prefixes often. */
const arbId = fc.string({ unit: fc.constantFrom('a', 'b', '0', '1'), minLength: 8, maxLength: 8 });

describe('id prefixes resolve or fail clearly', () => {
  let dir: string;
  let blog: Blog;
  beforeAll(async () => {
    dir = tempDir('termpress-props-');
    blog = await openBlog({ blog: dir, env: { TERMPRESS_CONFIG_DIR: path.join(dir, 'home') } });
    await blog.init({ title: 'Props' });
  });
  afterAll(() => removeDir(dir));

  async function layout(ids: string[], commentsOf: (i: number) => string[]): Promise<void> {
    const postsDir = path.join(dir, 'posts');
    removeDir(postsDir);
    removeDir(path.join(dir, '.termpress', 'index.json'));
    mkdirSync(postsDir, { recursive: true });
    ids.forEach((id, i) => writeFileSync(path.join(postsDir, `${id}.json`), JSON.stringify(post(id, `post-${i}`, commentsOf(i)))));
  }

  /** What a reference must resolve to: exact id, then slug, then a unique prefix; several is exit 2 naming them all. */
  function expected(ref: string, ids: string[]): { id: string } | { several: string[] } | 'none' {
    // Ids are read in any case, as comment ids are; slugs as written.
    const wanted = ref.trim().toLowerCase();
    if (ids.includes(wanted)) return { id: wanted };
    const bySlug = ids.findIndex((_, i) => `post-${i}` === ref.trim());
    if (bySlug >= 0) return { id: ids[bySlug]! };
    if (!isIdPrefix(wanted)) return 'none';
    const matches = ids.filter((id) => id.startsWith(wanted));
    if (matches.length === 0) return 'none';
    return matches.length === 1 ? { id: matches[0]! } : { several: matches };
  }

  test('a post reference is the post meant, a usage error (exit 2) naming every candidate, or not found (exit 3)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(arbId, { minLength: 1, maxLength: 8 }),
        fc.oneof(
          fc.tuple(fc.nat(), fc.integer({ min: 1, max: 8 })).map(([i, n]) => ({ pick: i, length: n })),
          fc.string({ maxLength: 10 }).map((text) => ({ text })),
          fc.constantFrom({ text: 'post-0' }, { text: 'post-1' }, { text: '' }, { text: '  ' }),
        ),
        async (ids, query) => {
          await layout(ids, () => []);
          const ref = 'text' in query ? query.text : ids[query.pick % ids.length]!.slice(0, query.length);
          const want = ref.trim() === '' ? 'empty' : expected(ref, ids);
          const got = await blog.resolvePostId(ref).then(
            (id) => ({ id }),
            (error: unknown) => error,
          );
          if (want === 'empty') {
            expect(got).toBeInstanceOf(UsageError);
          } else if (want === 'none') {
            expect(got).toBeInstanceOf(NotFoundError);
          } else if ('id' in want) {
            expect(got).toEqual(want);
          } else {
            expect(got).toBeInstanceOf(UsageError);
            const message = (got as Error).message;
            expect(message).toContain(`matches ${want.several.length} posts`);
            for (const id of want.several) expect(message).toContain(id);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  test('a comment reference across posts is the comment meant, exit 2 naming every candidate, or not found', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(arbId, { minLength: 2, maxLength: 8 }),
        fc.nat(),
        fc.integer({ min: MIN_PREFIX, max: 8 }),
        async (commentIds, pick, length) => {
          // Post ids come from the rest of the alphabet, so they never collide with comment ids.
          const postIds = commentIds.map((_, i) => `zz${ID_ALPHABET[i]}zzzzz`);
          await layout(postIds.slice(0, 2), (i) => commentIds.filter((_, k) => k % 2 === i));
          const ref = commentIds[pick % commentIds.length]!.slice(0, length);
          const matches = commentIds.filter((id) => id === ref).length ? [ref] : commentIds.filter((id) => id.startsWith(ref));
          const got = await blog.getComment(ref).then(
            (entry) => entry.comment.id,
            (error: unknown) => error,
          );
          if (matches.length === 1) {
            expect(got).toBe(matches[0]);
          } else {
            expect(got).toBeInstanceOf(UsageError);
            for (const id of matches) expect((got as Error).message).toContain(id);
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
