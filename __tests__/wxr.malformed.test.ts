/** Broken and foreign files: all or nothing, the error naming line and column; --lenient recovers what it can. */
import { readFileSync, rmSync } from 'node:fs';
import { NotFoundError, UsageError } from '../src/core/errors.js';
import { importWxr, type WxrImportOptions } from '../src/wxr/index.js';
import { tempDir, writeTemp, wxrDocument, wxrItem } from './fixtures/wxr/build-wxr.js';
import { fixture, MemoryTarget } from './fixtures/wxr/memory-target.js';

const OPTIONS: WxrImportOptions = { timezone: 'UTC', now: new Date('2025-03-01T12:00:00.000Z') };
const dir = tempDir('wxr-malformed');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(file: string, options: Partial<WxrImportOptions> = {}): Promise<{ error: unknown; target: MemoryTarget }> {
  const target = new MemoryTarget();
  try {
    await importWxr(file, target, { ...OPTIONS, ...options });
  } catch (error) {
    return { error, target };
  }
  throw new Error(`importing ${file} did not fail`);
}

describe('files that are not well-formed XML', () => {
  test('cdata-nested.xml (a raw "]]>" in character data) is refused with its line and column, and nothing is written', async () => {
    const { error, target } = await failure(fixture('cdata-nested.xml'));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(
      /cdata-nested\.xml:19:90: not well-formed XML \(the string "\]\]>" is disallowed in char data\.\); nothing was imported/,
    );
    expect((error as Error).message).toContain('--lenient');
    expect(target.batches).toEqual([]);
  });

  test('cdata-nested.xml with --lenient reads what its well-formed twin cdata-split.xml holds, as WordPress does', async () => {
    const target = new MemoryTarget();
    const report = await importWxr(fixture('cdata-nested.xml'), target, { ...OPTIONS, lenient: true });
    expect(report).toMatchObject({
      items: 1,
      imported: 1,
      posts: { published: 1 },
      recoveredFrom: { line: 19, column: 90 },
      skipped: {},
    });
    expect(report.warnings[0]).toMatch(/^not well-formed XML at line 19, column 90/);
    expect(target.posts[0]).toMatchObject({
      slug: 'quoting-xml-in-a-post',
      title: 'Quoting XML in a post',
      author: 'writer',
      body: 'Wrap markup as <![CDATA[ <b>bold</b> ]]> and it stays text.',
    });
    expect(target.posts[0]?.legacy?.['meta']).toEqual([
      { key: 'plain', value: 'nothing special' },
      { key: 'only the end', value: ']]>' },
      { key: 'both, twice', value: 'open <![CDATA[ close ]]> again <![CDATA[ x ]]>' },
    ]);
    const twin = new MemoryTarget();
    await importWxr(fixture('cdata-split.xml'), twin, OPTIONS);
    expect(target.posts[0]?.body).toBe(twin.posts[0]?.body);
    expect(target.posts[0]?.legacy?.['meta']).toEqual(twin.posts[0]?.legacy?.['meta']);
  });

  test('mismatched-tag.xml is refused at the close tag; with --lenient its invalid version still refuses it', async () => {
    const strict = await failure(fixture('mismatched-tag.xml'));
    expect(strict.error).toBeInstanceOf(UsageError);
    expect((strict.error as Error).message).toMatch(/mismatched-tag\.xml:32:10: not well-formed XML \(unexpected close tag\.\)/);
    expect(strict.target.batches).toEqual([]);
    const lenient = await failure(fixture('mismatched-tag.xml'), { lenient: true });
    expect(lenient.error).toBeInstanceOf(UsageError);
    expect((lenient.error as Error).message).toMatch(/does not appear to be a WXR file, missing\/invalid WXR version number/);
    expect(lenient.target.batches).toEqual([]);
  });

  test('a fault after hundreds of posts still writes nothing', async () => {
    const items = Array.from({ length: 500 }, (_, i) => wxrItem({ id: i + 1 }));
    const text = wxrDocument(items).replace('</channel>', '</chanel>');
    const file = writeTemp(dir, 'late-fault.xml', text);
    const { error, target } = await failure(file);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(`late-fault.xml:${text.split('\n').findIndex((l) => l === '</chanel>') + 1}:`);
    expect(target.batches).toEqual([]);

    const lenient = new MemoryTarget();
    const report = await importWxr(file, lenient, { ...OPTIONS, lenient: true });
    expect(report).toMatchObject({ items: 500, imported: 500 });
  });

  test('--lenient counts an item cut short as partial and keeps the whole ones around it', async () => {
    const items = [1, 2, 3, 4].map((id) => wxrItem({ id }));
    items[2] = (items[2] ?? '').replace('</item>', '');
    const file = writeTemp(dir, 'cut.xml', wxrDocument(items));
    expect((await failure(file)).error).toBeInstanceOf(UsageError);
    const target = new MemoryTarget();
    const report = await importWxr(file, target, { ...OPTIONS, lenient: true });
    expect(report).toMatchObject({ items: 4, imported: 3, skipped: { partial: 1 } });
    expect(target.posts.map((p) => p.legacy?.['wpPostId'])).toEqual(['1', '2', '4']);
  });
});

describe('files that are not WXR', () => {
  test.each(['no-version.xml', 'bad-version.xml'])(
    '%s is refused as WordPress refuses it, lenient or not, though its post is whole',
    async (name) => {
      for (const lenient of [false, true]) {
        const { error, target } = await failure(fixture(name), { lenient });
        expect(error).toBeInstanceOf(UsageError);
        expect((error as Error).message).toContain('does not appear to be a WXR file, missing/invalid WXR version number');
        expect(target.batches).toEqual([]);
      }
    },
  );

  test('a JSON file given as WXR is a usage error naming line and column', async () => {
    const file = writeTemp(dir, 'backup.json', '{"format":"termpress"}\n');
    const { error } = await failure(file);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/backup\.json:\d+:\d+: not well-formed XML/);
  });

  test('a missing file is NotFoundError (exit 3); a folder or an unknown timezone is a usage error', async () => {
    const missing = await failure(`${dir}/nope.xml`);
    expect(missing.error).toBeInstanceOf(NotFoundError);
    expect((missing.error as NotFoundError).exitCode).toBe(3);
    expect((await failure(dir)).error).toBeInstanceOf(UsageError);
    const zone = await failure(fixture('slashes.xml'), { timezone: 'Mars/Olympus' });
    expect(zone.error).toBeInstanceOf(UsageError);
    expect((zone.error as Error).message).toContain('Mars/Olympus');
  });
});

describe('--lenient keeps the category tree', () => {
  test('a broken site export still brings its categories with parents, slugs and descriptions, and its pages', async () => {
    const broken = readFileSync(fixture('site-1.2.xml'), 'utf8').replace(
      '<title><![CDATA[Fog week]]></title>',
      '<title><![CDATA[Fog week]]></titel>',
    );
    const file = writeTemp(dir, 'site-broken.xml', broken);
    const target = new MemoryTarget();
    const report = await importWxr(file, target, { ...OPTIONS, lenient: true });
    expect(report.recoveredFrom).toBeDefined();
    expect(report.categories).toEqual({ imported: 5, present: 0 });
    expect(target.terms.categories.map((c) => [c.slug, c.parent])).toEqual([
      ['uncategorized', null],
      ['world', null],
      ['news', 'world'],
      ['sports', null],
      ['news-sports', 'sports'],
    ]);
    expect(target.terms.categories.find((c) => c.slug === 'news')?.description).toBe('News from <em>abroad</em>');
    // The two posts still name their categories apart, by slug.
    expect(target.posts.find((p) => p.title === 'Lamp lit at dusk')?.categories).toEqual(['news']);
    expect(target.posts.filter((p) => p.type === 'page').map((p) => p.title)).toEqual([
      'About',
      'Team',
      'History',
      'Contact',
      'Keepers only',
    ]);
  });
});
