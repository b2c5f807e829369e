/** Real-world broken and foreign exports: refused whole with line and column; --lenient reads what WordPress reads. */
import { UsageError } from '../../src/core/errors.js';
import { importWxr, type WxrImportOptions } from '../../src/wxr/index.js';
import { MemoryTarget } from '../fixtures/wxr/memory-target.js';
import { sample } from './testdata.js';

const OPTIONS: WxrImportOptions = { timezone: 'UTC', now: new Date('2025-03-01T12:00:00.000Z') };

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
  test('crazy-cdata.xml is refused with its line and column, and nothing is written', async () => {
    const { error, target } = await failure(sample('crazy-cdata.xml'));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(
      /crazy-cdata\.xml:18:72: not well-formed XML \(the string "\]\]>" is disallowed in char data\.\); nothing was imported/,
    );
    expect((error as Error).message).toContain('--lenient');
    expect(target.batches).toEqual([]);
  });

  test('crazy-cdata.xml with --lenient reads the content as WordPress does', async () => {
    const target = new MemoryTarget();
    const report = await importWxr(sample('crazy-cdata.xml'), target, { ...OPTIONS, lenient: true });
    expect(report).toMatchObject({
      items: 1,
      imported: 1,
      posts: { published: 1 },
      recoveredFrom: { line: 18, column: 72 },
      skipped: {},
    });
    expect(report.warnings[0]).toMatch(/^not well-formed XML at line 18, column 72/);
    expect(target.posts[0]).toMatchObject({
      slug: 'hello-world',
      title: 'Hello world!',
      author: 'admin',
      body: 'Content with nested <![CDATA[ tags ]]> :)',
    });
    expect(target.posts[0]?.legacy?.['meta']).toEqual([
      { key: 'Plain string', value: 'Foo' },
      { key: 'Closing CDATA', value: ']]>' },
      { key: 'Alot of CDATA', value: 'This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>' },
    ]);
  });

  test('malformed.xml (mismatched tag) is refused at line 90; with --lenient its invalid version still refuses it', async () => {
    const strict = await failure(sample('malformed.xml'));
    expect(strict.error).toBeInstanceOf(UsageError);
    expect((strict.error as Error).message).toMatch(/malformed\.xml:90:10: not well-formed XML/);
    const lenient = await failure(sample('malformed.xml'), { lenient: true });
    expect(lenient.error).toBeInstanceOf(UsageError);
    expect((lenient.error as Error).message).toMatch(/does not appear to be a WXR file, missing\/invalid WXR version number/);
    expect(lenient.target.batches).toEqual([]);
  });
});

describe('files that are not WXR', () => {
  test.each(['missing-version-tag.xml', 'invalid-version-tag.xml'])(
    '%s is refused as WordPress refuses it, lenient or not',
    async (name) => {
      for (const lenient of [false, true]) {
        const { error, target } = await failure(sample(name), { lenient });
        expect(error).toBeInstanceOf(UsageError);
        expect((error as Error).message).toContain('does not appear to be a WXR file, missing/invalid WXR version number');
        expect(target.batches).toEqual([]);
      }
    },
  );

  test('an unknown timezone is a usage error naming it', async () => {
    const zone = await failure(sample('slashes.xml'), { timezone: 'Mars/Olympus' });
    expect(zone.error).toBeInstanceOf(UsageError);
    expect((zone.error as Error).message).toContain('Mars/Olympus');
  });
});
