/**
 * A command's action is a plain async function of the outside world (the context seam) and its typed
 * options: called in-process it does what the command line does. The list commands check their shared
 * options in one place, which reports every problem at once in a fixed order.
 */
import { commentList } from '../src/cli/actions/comment-list.js';
import { postList } from '../src/cli/actions/post-list.js';
import type { Cli } from '../src/cli/context.js';
import { PAGES, POSTS } from '../src/cli/kinds.js';
import { checkListOptions } from '../src/cli/options.js';
import { UsageError } from '../src/core/errors.js';
import { terminalContext } from './fixtures/drafting/scripted.js';
import { runInProcess } from './helpers/in-process.js';
import { Sandbox } from './helpers/cli.js';

const NOW = '2026-03-01T12:00:00Z';

describe('checkListOptions', () => {
  const fields = ['id', 'title', 'status'];
  const none = async () => ({});

  it.each([
    [{ format: 'table' }, { format: 'table', fields: undefined }],
    [
      { format: 'table', json: true as const },
      { format: 'json', fields: undefined },
    ],
    [
      { format: 'csv', fields: 'title, id' },
      { format: 'csv', fields: ['title', 'id'] },
    ],
  ])('%j is %j', async (opts, expected) => {
    await expect(checkListOptions(opts, fields, none)).resolves.toEqual(expected);
  });

  it("reports every problem at once: the format's, the command's own, then the fields'", async () => {
    const own = async (attempt: <T>(fn: () => T) => Promise<T | undefined>) => ({
      sort: await attempt(() => {
        throw new UsageError('Unknown sort key "x" for --sort.');
      }),
    });
    const error = await checkListOptions({ format: 'yaml', fields: 'nope' }, fields, own).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      'Unknown format "yaml" for --format: use table, json, jsonl, csv, ids, count; ' +
        'Unknown sort key "x" for --sort; ' +
        'Unknown field "nope" for --fields: use id, title, status',
    );
  });

  it("gives the command's own checked values along with the format", async () => {
    await expect(checkListOptions({ format: 'ids' }, fields, async () => ({ limit: 3 }))).resolves.toEqual({
      format: 'ids',
      fields: undefined,
      limit: 3,
    });
  });
});

describe('an action called in-process', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = new Sandbox({ TERMPRESS_NOW: NOW });
    sb.initBlog('--title', 'Actions', '--timezone', 'UTC');
    for (const [title, at] of [
      ['Older', '2026-02-01 09:00'],
      ['Newer', '2026-02-10 09:00'],
    ]) {
      expect((await runInProcess(sb, ['post', 'create', '--title', title!, '--body', 'Text', '--at', at!])).code).toBe(0);
    }
    expect((await runInProcess(sb, ['page', 'create', '--title', 'About', '--body', 'Us'])).code).toBe(0);
  });
  afterAll(() => sb.cleanup());

  /** The outside world of one call: the sandbox's folder and environment, no terminal, output captured. */
  function cli() {
    const term = terminalContext({ cwd: sb.cwd, env: sb.env, answers: [], tty: false });
    const seam: Cli = { ctx: term.ctx, globals: () => ({ color: false, input: false }) };
    return { cli: seam, stdout: term.stdout, stderr: term.stderr };
  }

  it('prints what the command line prints', async () => {
    const call = cli();
    await postList(call.cli, POSTS, { format: 'csv', fields: 'title,status', since: '2026-02-05' });
    const line = await runInProcess(sb, ['post', 'list', '--format', 'csv', '--fields', 'title,status', '--since', '2026-02-05']);
    expect(call.stdout.text).toBe('title,status\nNewer,published\n');
    expect(call.stdout.text).toBe(line.stdout);
    expect(call.stderr.text).toBe('');
  });

  it('lists pages with the same action, in their own words', async () => {
    const call = cli();
    await postList(call.cli, PAGES, { format: 'table', search: 'nothing like this' });
    expect(call.stdout.text).toBe('');
    expect(call.stderr.text).toBe('No pages.\n');
  });

  it('throws the usage error the command line prints, naming every bad option', async () => {
    const call = cli();
    const error = await commentList(call.cli, { format: 'table', since: 'whenever', status: 'lost' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    const line = await runInProcess(sb, ['comment', 'list', '--since', 'whenever', '--status', 'lost']);
    expect(line.code).toBe(2);
    expect(line.stderr).toBe(`error: ${(error as UsageError).message}\n`);
    expect((error as UsageError).message).toMatch(/--since.*; Unknown comment status "lost" for --status/);
  });
});
