/** Importing the hand-written WordPress exports in fixtures/wxr: exact counts and fields, counted from the files. */
import { readFileSync } from 'node:fs';
import { importWxr, type ImportReport, type WxrImportOptions } from '../src/wxr/index.js';
import { fixture, MemoryTarget } from './fixtures/wxr/memory-target.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const OPTIONS: WxrImportOptions = { timezone: 'America/New_York', now: NOW };

async function load(name: string, options: Partial<WxrImportOptions> = {}): Promise<{ target: MemoryTarget; report: ImportReport }> {
  const target = new MemoryTarget();
  const report = await importWxr(fixture(name), target, { ...OPTIONS, ...options });
  return { target, report };
}

const none = { draft: 0, pending: 0, scheduled: 0, published: 0, trash: 0 };
const noComments = { pending: 0, approved: 0, spam: 0, trash: 0 };

describe('importWxr on WordPress exports of each version', () => {
  test('wxr-1.0.xml: WXR 1.0, no wp:author, each category twice (bare and domain="category"), domain="tag"', async () => {
    const { target, report } = await load('wxr-1.0.xml');
    expect(report).toMatchObject({
      format: 'wxr',
      dryRun: false,
      wxrVersion: '1.0',
      site: 'http://tidewater.example/',
      items: 4,
      imported: 4,
      posts: { ...none, published: 2 },
      pages: { ...none, published: 2 },
      comments: { ...noComments, approved: 1 },
      skipped: {},
      warnings: [],
    });
    expect(target.posts.map((p) => [p.slug, p.type ?? 'post'])).toEqual([
      ['low-tide-at-dawn', 'post'],
      ['about', 'page'],
      ['barometer-falling', 'post'],
      ['tide-tables', 'page'],
    ]);
    const dawn = target.bySlug('low-tide-at-dawn');
    expect(dawn).toMatchObject({
      title: 'Low tide at dawn',
      author: 'keeper',
      status: 'published',
      categories: ['Shoreline'],
      tags: ['herons', 'mudflats'],
      excerpt: '',
      body: 'The water went out further than the charts say. Two herons worked the channel edge.',
      format: 'html',
      createdAt: '2009-03-14T11:02:07.000Z',
      updatedAt: '2009-03-14T11:02:07.000Z',
      publishedAt: '2009-03-14T11:02:07.000Z',
      commentStatus: 'open',
      sticky: false,
      revision: 1,
    });
    expect(dawn.id).toMatch(/^[0-9a-hjkmnp-tv-z]{8}$/);
    expect(dawn.legacy).toEqual({
      source: 'wxr',
      key: 'wxr:http://tidewater.example#3',
      guid: 'http://tidewater.example/?p=3',
      wpPostId: '3',
      site: 'http://tidewater.example/',
      link: 'http://tidewater.example/?p=3',
      authorLogin: 'keeper',
      importedAt: NOW.toISOString(),
    });
    expect(dawn.comments).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-z]{8}$/),
        parentId: null,
        author: 'Harbour Master',
        email: '',
        url: 'http://harbour.example/',
        ip: '',
        userAgent: '',
        // HTML and its entities are the comment's text, as WordPress stored it.
        body: 'Spring tides this week.<br />Mind the channel&#039;s edge at the old pier.',
        status: 'approved',
        createdAt: '2009-03-14T12:15:00.000Z',
        updatedAt: '2009-03-14T12:15:00.000Z',
        type: 'comment',
        reasons: ['imported from WordPress'],
        legacy: { wpCommentId: '7' },
      },
    ]);
    expect(target.bySlug('barometer-falling')).toMatchObject({ categories: ['Storms', 'Weather'], tags: ['barometer'] });
  });

  test('wxr-1.1-crlf.xml: CRLF line endings, author display name, custom taxonomy kept under legacy', async () => {
    expect(readFileSync(fixture('wxr-1.1-crlf.xml'), 'utf8').split('\r\n').length).toBeGreaterThan(90);
    const { target, report } = await load('wxr-1.1-crlf.xml');
    expect(report).toMatchObject({
      wxrVersion: '1.1',
      site: 'http://harbour.example',
      items: 2,
      imported: 2,
      posts: { ...none, published: 1 },
      pages: { ...none, published: 1 },
      comments: { ...noComments, approved: 1 },
      skipped: {},
      warnings: [],
    });
    const [post] = target.posts;
    expect(post).toMatchObject({
      slug: 'new-buoys-in-the-outer-harbour',
      author: 'Marisol Vega',
      categories: ['Moorings'],
      tags: ['Buoys'],
      createdAt: '2011-02-10T16:45:10.000Z',
      // XML reads a CRLF as one newline, inside CDATA too.
      body: 'Three new buoys mark the channel.\nThe red one is lit at night.',
    });
    expect(post?.legacy).toMatchObject({ authorLogin: 'marisol', terms: [{ taxonomy: 'driftwood_kind', slug: 'oak', name: 'Oak' }] });
    expect(post?.comments[0]).toMatchObject({
      author: 'Pilot Boat',
      ip: '192.0.2.44',
      body: 'Seen them from the bridge.<br />\nThe green one is off station by a boat length.',
    });
  });

  test('export-1.2.xml: authors, nested and non-ASCII categories, a private post, an undated draft, pages and an attachment', async () => {
    const { target, report } = await load('export-1.2.xml');
    expect(report).toMatchObject({
      wxrVersion: '1.2',
      site: 'https://tidewater.example',
      items: 8,
      imported: 7,
      posts: { ...none, published: 3, draft: 2 },
      pages: { ...none, published: 1, draft: 1 },
      comments: { ...noComments, approved: 4, pending: 1, spam: 1 },
      media: { imported: 1, present: 0 },
      skipped: {},
      warnings: ['post 11 "Lamp room inventory": private in WordPress, imported as a draft'],
    });
    expect(target.posts.filter((p) => p.type !== 'page').map((p) => [p.slug, p.author, p.status])).toEqual([
      ['welcome-aboard', 'Ines Harbor', 'published'],
      ['lamp-room-inventory', 'Tomás Reed', 'draft'],
      // No display name: the login.
      ['notes-before-the-season', 'guest', 'draft'],
      ['carnet-de-bord', 'Tomás Reed', 'published'],
      ['gulls', 'Ines Harbor', 'published'],
    ]);
    const welcome = target.bySlug('welcome-aboard');
    expect(welcome).toMatchObject({
      excerpt: 'A first look around the estuary.',
      // A post in a child category lists the parent too, as WordPress exports it.
      categories: ['Harbour', 'Lights'],
      tags: ['welcome'],
      sticky: true,
      createdAt: '2024-04-02T14:00:00.000Z',
      updatedAt: '2024-04-03T09:15:00.000Z',
      publishedAt: '2024-04-02T14:00:00.000Z',
    });
    // Editing-session meta and empty private meta are dropped; the rest is kept.
    expect(welcome.legacy?.['meta']).toEqual([{ key: 'mood', value: 'calm' }]);
    expect(welcome.legacy?.['link']).toBe('https://tidewater.example/2024/04/02/welcome-aboard/');
    expect(target.bySlug('lamp-room-inventory')).toMatchObject({
      publishedAt: null,
      categories: ['Lights'],
      tags: ['Lamps', 'Logbook'],
      legacy: expect.objectContaining({ wpStatus: 'private' }),
    });
    // Empty post_name: the slug comes from the title; 0000-00-00 GMT: the local date, in the blog's timezone (EDT).
    expect(target.bySlug('notes-before-the-season')).toMatchObject({
      title: 'Notes before the season',
      createdAt: '2024-03-20T12:30:00.000Z',
      publishedAt: null,
      categories: ['Uncategorized'],
    });
    expect(target.bySlug('carnet-de-bord')).toMatchObject({
      categories: ['Météo', 'Brouillard', '航海日志', 'Пристань', 'مرسى'],
      commentStatus: 'closed',
    });
    expect(target.bySlug('gulls')).toMatchObject({
      categories: ['Uncategorized'],
      legacy: expect.objectContaining({ terms: [{ taxonomy: 'post_format', slug: 'post-format-aside', name: 'Aside' }] }),
    });
  });

  test('export-1.2.xml: threaded comments keep their threads, statuses, types, ips and meta', async () => {
    const { target } = await load('export-1.2.xml');
    const comments = target.bySlug('welcome-aboard').comments;
    expect(comments.map((c) => [c.legacy?.['wpCommentId'], c.status, c.type])).toEqual([
      ['101', 'approved', 'comment'],
      ['102', 'approved', 'comment'],
      ['103', 'approved', 'comment'],
      ['104', 'pending', 'comment'],
      ['105', 'spam', 'comment'],
      ['106', 'approved', 'pingback'],
    ]);
    const [first, reply, replyToReply, ...rest] = comments;
    expect(first?.parentId).toBeNull();
    expect(reply?.parentId).toBe(first?.id);
    expect(replyToReply?.parentId).toBe(reply?.id);
    expect(rest.map((c) => c.parentId)).toEqual([null, null, null]);
    expect(new Set(comments.map((c) => c.id)).size).toBe(6);
    expect(first).toMatchObject({
      author: 'Sandpiper',
      email: 'sandpiper@birds.example',
      url: 'https://birds.example/',
      ip: '203.0.113.5',
      body: 'Is the breakwater open to walkers?',
      createdAt: '2024-04-02T15:00:00.000Z',
      legacy: { wpCommentId: '101', meta: [{ key: 'rating', value: '4' }] },
    });
    expect(reply?.legacy).toEqual({ wpCommentId: '102', wpUserId: '1' });
    expect(comments[5]?.body).toBe('[&#8230;] a new blog about the estuary [&#8230;]');
  });

  test('trash-1.2.xml: trashed posts keep their slug and previous status, percent-encoded slug decoded, empty title', async () => {
    const { target, report } = await load('trash-1.2.xml');
    expect(report).toMatchObject({
      wxrVersion: '1.2',
      site: 'https://quay.example/blog',
      items: 6,
      imported: 6,
      posts: { ...none, published: 2, trash: 3 },
      pages: { ...none, draft: 1 },
      comments: { ...noComments, approved: 1 },
      skipped: {},
      warnings: [],
    });
    const trashed = target.posts.filter((p) => p.status === 'trash');
    expect(trashed.map((p) => [p.slug, p.previousStatus, p.publishedAt, p.commentStatus])).toEqual([
      ['cheap-moorings-call-now', 'published', '2019-11-02T14:00:00.000Z', 'closed'],
      ['discount-anchors', 'published', '2019-11-03T15:00:00.000Z', 'closed'],
      // No _wp_desired_post_slug: the `__trashed` suffix is cut off.
      ['untitled-notice', 'draft', null, 'open'],
    ]);
    expect(trashed.map((p) => p.legacy?.['meta'])).toEqual([undefined, undefined, undefined]);
    expect(target.bySlug('untitled-notice').title).toBe('');
    expect(target.bySlug('港口')).toMatchObject({ title: '港口', createdAt: '2020-01-05T10:15:30.000Z', status: 'published' });
    const hello = target.bySlug('hello-from-the-quay');
    // The body is kept byte for byte, leading newline and indentation included.
    expect(hello.body).toBe(
      '\n\t\t<!-- wp:paragraph -->\n\t\t<p>Ropes coiled, fenders out. This is where the boats come in.</p>\n\t\t<!-- /wp:paragraph -->\n\t\t',
    );
    expect(hello.comments[0]).toMatchObject({
      author: 'A Passing Sailor',
      status: 'approved',
      body: 'Tied up here last summer, see <a href="https://sea.example/log">my log</a>.',
    });
  });
});

describe('importWxr on awkward text', () => {
  test('cdata-split.xml: sections split around "]]>" give back literal <![CDATA[ and ]]>', async () => {
    const { target, report } = await load('cdata-split.xml');
    expect(report).toMatchObject({
      items: 1,
      imported: 1,
      posts: { ...none, published: 1 },
      comments: { ...noComments, approved: 1 },
      skipped: {},
    });
    const [post] = target.posts;
    expect(post?.body).toBe('Wrap markup as <![CDATA[ <b>bold</b> ]]> and it stays text.');
    expect(post?.excerpt).toBe('Ends with ]]>');
    expect(post?.legacy?.['meta']).toEqual([
      { key: 'plain', value: 'nothing special' },
      { key: 'only the end', value: ']]>' },
      { key: 'both, twice', value: 'open <![CDATA[ close ]]> again <![CDATA[ x ]]>' },
    ]);
    expect(post?.comments[0]?.body).toBe('Careful: a bare <![CDATA[ ]]> ends early.');
  });

  test('utf8.xml: astral, RTL, bidi and zero-width characters survive; the slug loses its bidi marks', async () => {
    const { target, report } = await load('utf8.xml');
    expect(report).toMatchObject({ wxrVersion: '1.2', items: 2, imported: 2, posts: { ...none, published: 2 }, warnings: [] });
    const [tide, cafe] = target.posts;
    // Character references outside CDATA are characters, astral ones included.
    expect(tide?.title).toBe('The Tide \u202eTurns\u202c at Mi\u202ddnight \u202a\u{1f30a}\u202c');
    // The login is written raw in wp:author and as references in dc:creator: the same login, so the display name is found.
    expect(tide?.legacy?.['authorLogin']).toBe('editor\u200c\u200b\u200d\u200e');
    expect(tide?.author).toBe('E\u0336\u0317d\u0334\u0353i\u0304\u0335t\u0337\u0326o\u0338\u031br \u200b');
    expect(tide?.slug).toBe('tide-\u{1f30a}-turns');
    expect(tide?.legacy?.['guid']).toBe('https://tides.example/\u{1f30a}/\u202estop\u202c/?p=7&mark=\u{1f4ab}\u200d');
    expect(tide?.categories).toEqual(['Marées \u{1f30a}', 'مد وجزر', 'גאות ושפל']);
    expect(tide?.tags).toEqual(['\u{1d54b}\u{1d55a}\u{1d555}\u{1d556}', '\u{1f469}\u200d\u{1f469}\u200d\u{1f467}']);
    expect(tide?.body).toBe(
      '<!-- wp:paragraph -->\n' +
        '<p>High water \u{1f30a}\u{1f315} at 06:12. \u{1d54b}\u{1d55a}\u{1d555}\u{1d556} tables in five scripts: مد وجزر, גאות ושפל, 潮汐, Приливы, \u{1f469}\u200d\u{1f469}\u200d\u{1f467}.</p>\n' +
        '<!-- /wp:paragraph -->\n\n' +
        '<!-- wp:paragraph -->\n' +
        // Character references inside CDATA are text, not references.
        '<p>References stay text inside CDATA: &#x200B;&#x1F30A;&amp;</p>\n' +
        '<!-- /wp:paragraph -->',
    );
    expect(tide?.excerpt).toBe('\u{1f30a}\u{1f315} High water at dawn');
    expect(tide?.createdAt).toBe('2024-06-21T04:30:00.000Z');
    expect(tide?.updatedAt).toBe('2024-06-22T10:00:00.000Z');
    // Combining marks: the text keeps its decomposed form; the slug is normalized (NFC) so one URL is one slug.
    expect(cafe).toMatchObject({
      title: 'Cafe\u0301 on the pier',
      slug: 'caf\u00e9-on-the-pier',
      body: 'Cafe\u0301 au lait. Z\u0351\u036ba\u0336l\u0310g\u0314o, stacked.',
      categories: ['Cafe\u0301'],
    });
  });

  test('slashes.xml: backslashes are content, never unescaped or doubled', async () => {
    const { target, report } = await load('slashes.xml');
    expect(report).toMatchObject({ items: 1, imported: 1, posts: { ...none, published: 1 }, comments: { ...noComments, approved: 1 } });
    const [post] = target.posts;
    expect(post?.title).toBe(String.raw`Back\slash \\ double`);
    expect(post?.body).toBe(String.raw`Don\'t \"escape\" C:\Tides\2011 or \\server\share\n`);
    expect(post?.categories).toEqual([String.raw`C:\Logs \"quoted\"`]);
    expect(post?.tags).toEqual([String.raw`it\'s`]);
    expect(post?.comments[0]).toMatchObject({
      author: String.raw`Zoë \ Backslash`,
      body: String.raw`Ça marche \o/ \(^_^)/ \\`,
      createdAt: '2011-06-01T12:30:00.000Z',
    });
  });

  test('comment-meta.xml: a draft with no GMT date is dated in the blog timezone; serialized comment meta kept byte for byte', async () => {
    const { target, report } = await load('comment-meta.xml');
    expect(report).toMatchObject({
      wxrVersion: '1.0',
      items: 1,
      imported: 1,
      posts: { ...none, draft: 1 },
      comments: { ...noComments, approved: 1 },
    });
    const [post] = target.posts;
    expect(post).toMatchObject({
      slug: 'comments-that-carry-meta',
      status: 'draft',
      // 2011-07-04 09:30:00 in New York (EDT, UTC-4).
      createdAt: '2011-07-04T13:30:00.000Z',
      publishedAt: null,
      sticky: false,
    });
    const serialized = 'a:2:{s:6:"anchor";s:14:"⚓ Ankerplatz";s:5:"depth";i:12;}';
    expect(post?.comments[0]).toMatchObject({
      author: 'Berth Holder',
      email: 'holder@moorings.example',
      url: 'http://holder.example/',
      status: 'approved',
      createdAt: '2011-07-04T14:00:00.000Z',
      legacy: {
        wpCommentId: '3',
        meta: [
          { key: 'anchor', value: '⚓ Ankerplatz' },
          { key: 'berth', value: serialized },
        ],
      },
    });
    // PHP counts the string in UTF-8 bytes; the value still says so, so WordPress can unserialize it again.
    expect(Buffer.byteLength('⚓ Ankerplatz')).toBe(14);
    expect(post?.comments[0]?.body.split('\n')).toEqual(['Please keep my berth.', '<em>Same boat</em> as last year.', 'Thanks!']);
  });

  test('the same local date reads differently in another blog timezone', async () => {
    const { target } = await load('comment-meta.xml', { timezone: 'Asia/Tokyo' });
    expect(target.posts[0]?.createdAt).toBe('2011-07-04T00:30:00.000Z');
  });

  test('blank-lines.xml: whitespace and blank lines of the body are kept', async () => {
    const { target } = await load('blank-lines.xml');
    expect(target.posts[0]?.body).toBe(
      '\nMidnight: all quiet.\n\t\tWind from the west, two tabs in.\n\n\tOne tab, after a blank line.\n\n\nTwo blank lines above.',
    );
    expect(target.posts[0]?.author).toBe('Rowan Ash');
  });
});

describe('the import as a whole', () => {
  test('progress is reported over both passes and reaches the total', async () => {
    const seen: [number, number][] = [];
    await load('export-1.2.xml', { onProgress: (done, total) => seen.push([done, total]) });
    const last = seen.at(-1);
    expect(last?.[0]).toBe(last?.[1]);
    expect(seen.every(([done], i) => i === 0 || done >= (seen[i - 1]?.[0] ?? 0))).toBe(true);
  });

  test('--dry-run reports the same and writes nothing', async () => {
    const { target, report } = await load('trash-1.2.xml', { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, imported: 6, posts: { ...none, published: 2, trash: 3 }, pages: { ...none, draft: 1 } });
    expect(target.batches).toEqual([]);
  });

  test('re-importing the same file adds nothing and reports every post as present', async () => {
    const target = new MemoryTarget();
    await importWxr(fixture('export-1.2.xml'), target, OPTIONS);
    const before = structuredClone(target.posts);
    const again = await importWxr(fixture('export-1.2.xml'), target, OPTIONS);
    expect(again).toMatchObject({
      imported: 0,
      posts: none,
      pages: none,
      comments: noComments,
      media: { imported: 0, present: 1 },
      skipped: { present: 7 },
      warnings: [],
    });
    expect(again.categories).toEqual({ imported: 0, present: 8 });
    expect(target.posts).toEqual(before);
  });
});
