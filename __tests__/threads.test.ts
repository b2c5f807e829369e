import fc from 'fast-check';
import type { Comment } from '../src/core/types.js';
import { parentLoops, threadComments } from '../src/core/threads.js';

let minute = 0;
/** A comment made one minute after the previous one, unless a time is given. */
function c(id: string, parentId: string | null = null, createdAt?: string): Comment {
  minute += 1;
  const at = createdAt ?? new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString();
  return {
    id,
    parentId,
    author: id.toUpperCase(),
    email: `${id}@example.com`,
    url: '',
    ip: '',
    userAgent: '',
    body: id,
    status: 'approved',
    createdAt: at,
    updatedAt: at,
    type: 'comment',
    reasons: [],
  };
}

/** "id@depth#number" for each comment shown, in order. */
const shape = (comments: Comment[], maxDepth = 5): string[] =>
  threadComments(comments, maxDepth).map((t) => `${t.comment.id}@${t.depth}#${t.number}`);

beforeEach(() => {
  minute = 0;
});

describe('threadComments', () => {
  it('shows nothing for no comments', () => {
    expect(threadComments([], 5)).toEqual([]);
  });

  it('orders top-level comments oldest first, whatever the stored order', () => {
    const a = c('a');
    const b = c('b');
    const d = c('d');
    expect(shape([d, a, b])).toEqual(['a@1#1', 'b@1#2', 'd@1#3']);
  });

  it('shows replies after their parent, siblings oldest first, numbered within their parent', () => {
    const a = c('a');
    const b = c('b');
    const a1 = c('a1', 'a');
    const b1 = c('b1', 'b');
    const a2 = c('a2', 'a');
    const a1x = c('a1x', 'a1');
    expect(shape([a2, b1, a1x, b, a1, a])).toEqual(['a@1#1', 'a1@2#1.1', 'a1x@3#1.1.1', 'a2@2#1.2', 'b@1#2', 'b1@2#2.1']);
  });

  it('attaches replies deeper than maxDepth at the deepest shown level, right after their parent', () => {
    const chain = [c('l1'), c('l2', 'l1'), c('l3', 'l2'), c('l4', 'l3'), c('l3b', 'l2')];
    expect(shape(chain, 2)).toEqual(['l1@1#1', 'l2@2#1.1', 'l3@2#1.2', 'l4@2#1.3', 'l3b@2#1.4']);
  });

  it('shows everything flat, oldest first and numbered 1..n, with maxDepth 1, as WordPress does without threading', () => {
    const comments = [c('a'), c('b', 'a'), c('d'), c('e', 'b')];
    expect(shape(comments, 1)).toEqual(['a@1#1', 'b@1#2', 'd@1#3', 'e@1#4']);
  });

  it('treats a maxDepth below 1 or not a whole number sensibly', () => {
    const comments = [c('a'), c('b', 'a'), c('e', 'b')];
    expect(shape(comments, 0)).toEqual(shape(comments, 1));
    expect(shape(comments, Number.NaN)).toEqual(shape(comments, 1));
    expect(shape(comments, 2.7)).toEqual(shape(comments, 2));
    expect(shape(comments, Number.POSITIVE_INFINITY)).toEqual(['a@1#1', 'b@2#1.1', 'e@3#1.1.1']);
  });

  it('shows orphans (parent missing) at top level in date order', () => {
    const a = c('a');
    const orphan = c('o', 'gone0000');
    const b = c('b');
    expect(shape([b, orphan, a])).toEqual(['a@1#1', 'o@1#2', 'b@1#3']);
    expect(threadComments([orphan], 5)[0]?.inReplyTo).toBeNull();
  });

  it('names the comment replied to', () => {
    const a = c('a');
    const b = c('b', 'a');
    const t = threadComments([a, b], 5);
    expect(t.map((x) => x.inReplyTo?.id ?? null)).toEqual([null, 'a']);
  });

  it('breaks ties in time by the given order, and puts unreadable dates last', () => {
    const same = '2024-01-01T00:00:00.000Z';
    const x = c('x', null, same);
    const y = c('y', null, same);
    const bad = c('bad', null, 'not a date');
    const early = c('early', null, '2023-01-01T00:00:00.000Z');
    expect(shape([bad, y, x, early])).toEqual(['early@1#1', 'y@1#2', 'x@1#3', 'bad@1#4']);
  });

  it('shows every comment of a parent cycle once, from its oldest member', () => {
    const a = c('a', 'b');
    const b = c('b', 'a');
    const self = c('s', 's');
    const child = c('k', 'a');
    expect(shape([child, b, a, self])).toEqual(['s@1#1', 'a@1#2', 'b@2#2.1', 'k@2#2.2']);
  });

  it('never shows a reply before its parent: same time, reply stored first, or a clock that ran behind', () => {
    const at = '2024-01-01T00:00:00.000Z';
    const reply = c('aaaa', 'zzzz', at);
    const parent = c('zzzz', null, at);
    const early = c('early', 'zzzz', '2023-12-31T23:59:00.000Z');
    for (const depth of [5, 2]) expect(shape([reply, early, parent], depth)).toEqual(['zzzz@1#1', 'early@2#1.1', 'aaaa@2#1.2']);
    expect(shape([reply, early, parent], 1)).toEqual(['zzzz@1#1', 'early@1#2', 'aaaa@1#3']);
  });

  it('copes with a very long reply chain without recursion', () => {
    const chain: Comment[] = [c('n0')];
    for (let k = 1; k < 20_000; k++) chain.push(c(`n${k}`, `n${k - 1}`));
    const t = threadComments(chain, 5);
    expect(t).toHaveLength(20_000);
    expect(t.at(-1)).toMatchObject({ depth: 5, number: `1.1.1.1.${20_000 - 4}` });
  });

  it('always shows each comment exactly once, parents before their shown replies, within the depth', () => {
    const ids = ['a', 'b', 'd', 'e', 'f', 'g', 'h'];
    const arb = fc.array(
      fc.record({
        id: fc.constantFrom(...ids),
        parent: fc.option(fc.constantFrom(...ids, 'missing')),
        minute: fc.integer({ min: 0, max: 5 }),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: -1, max: 6 }), (rows, maxDepth) => {
        const comments = rows.map((r) => c(r.id, r.parent, new Date(Date.UTC(2024, 0, 1, 0, r.minute)).toISOString()));
        const shown = threadComments(comments, maxDepth);
        expect(shown).toHaveLength(comments.length);
        expect(new Set(shown.map((s) => s.comment)).size).toBe(comments.length);
        const position = new Map(shown.map((s, k) => [s.comment, k]));
        shown.forEach((s, k) => {
          expect(s.depth).toBeGreaterThanOrEqual(1);
          expect(s.depth).toBeLessThanOrEqual(Math.max(1, maxDepth));
          expect(s.number.split('.')).toHaveLength(s.depth);
          if (k === 0) expect(s.depth).toBe(1);
          else expect(s.depth).toBeLessThanOrEqual((shown[k - 1]?.depth ?? 0) + 1);
          if (s.inReplyTo !== null && s.depth > 1) {
            expect(position.get(s.inReplyTo)).toBeLessThan(k);
          }
        });
        expect(new Set(shown.map((s) => s.number)).size).toBe(shown.length);
        // Flat or threaded, a reply comes after its parent whenever both are shown and the parent is no loop member.
        const loopMembers = new Set(parentLoops(comments).flat());
        shown.forEach((s, k) => {
          if (s.inReplyTo !== null && !loopMembers.has(s.comment.id)) expect(position.get(s.inReplyTo)).toBeLessThan(k);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('parentLoops', () => {
  it('finds nothing in a sound thread, orphans included', () => {
    expect(parentLoops([c('a'), c('b', 'a'), c('d', 'b'), c('o', 'gone0000')])).toEqual([]);
  });

  it('names a self-reply, and each loop once from its oldest member along the parent links', () => {
    const self = c('s', 's');
    const a = c('a', 'b');
    const b = c('b', 'd');
    const d = c('d', 'a');
    const tail = c('t', 'b');
    const x = c('x', 'y');
    const y = c('y', 'x');
    expect(parentLoops([tail, y, d, b, x, a, self])).toEqual([['a', 'b', 'd'], ['x', 'y'], ['s']]);
  });

  it('on any parent links: loops are disjoint real cycles, every other comment reaches the top or a loop, and breaking each at its first member leaves none', () => {
    const ids = ['a', 'b', 'd', 'e', 'f', 'g', 'h'];
    const arb = fc.uniqueArray(
      fc.record({
        id: fc.constantFrom(...ids),
        parent: fc.option(fc.constantFrom(...ids, 'missing')),
        minute: fc.integer({ min: 0, max: 3 }),
      }),
      {
        selector: (r) => r.id,
        maxLength: ids.length,
      },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        const comments = rows.map((r) => c(r.id, r.parent, new Date(Date.UTC(2024, 0, 1, 0, r.minute)).toISOString()));
        const parentOf = new Map(comments.map((x) => [x.id, x.parentId]));
        const loops = parentLoops(comments);
        const members = loops.flat();
        expect(new Set(members).size).toBe(members.length);
        for (const loop of loops) loop.forEach((id, k) => expect(parentOf.get(id)).toBe(loop[(k + 1) % loop.length]));
        for (const comment of comments) {
          // Following parents from anywhere ends at the top (no parent, or a missing one) or at a reported loop.
          let at: string | null | undefined = comment.id;
          for (let steps = 0; at != null && parentOf.has(at) && !members.includes(at); steps++) {
            expect(steps).toBeLessThanOrEqual(comments.length);
            at = parentOf.get(at);
          }
        }
        const broken = new Set(loops.map((loop) => loop[0]));
        expect(parentLoops(comments.map((x) => (broken.has(x.id) ? { ...x, parentId: null } : x)))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
