// A command line loads only the module of the command it names; what it prints must not depend on that.
import { commandsFor } from '../src/cli/program.js';
import { runInProcess } from './helpers/in-process.js';
import { Sandbox } from './helpers/cli.js';

const argv = (...words: string[]) => ['node', 'termpress', ...words];

describe('which commands a command line loads', () => {
  const all = commandsFor(argv('--help'));

  it.each([
    [['post', 'list'], ['post']],
    [['--blog', 'post', 'page', 'list'], ['page']],
    [['--blog=x', '--no-color', '-q', 'comment', 'approve', 'abcd'], ['comment']],
    [['merge-file', 'a', 'b', 'c'], ['merge-file']],
    [['--version'], []],
    [['-V'], []],
  ])('%j loads %j', (words, expected) => {
    expect(commandsFor(argv(...words))).toEqual(expected);
  });

  it.each([[[]], [['--help']], [['help', 'post']], [['pots', 'list']], [['--version', '--help']], [['--', 'post']]])(
    '%j loads every command',
    (words) => {
      expect(commandsFor(argv(...words))).toEqual(all);
    },
  );

  it('knows every command help lists', () => {
    expect(all).toEqual([
      'init',
      'post',
      'page',
      'category',
      'tag',
      'media',
      'comment',
      'moderate',
      'build',
      'serve',
      'import',
      'export',
      'config',
      'doctor',
      'git',
      'sync',
      'merge-file',
    ]);
  });
});

describe('output does not depend on what was loaded', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = new Sandbox();
  });
  afterAll(() => sb.cleanup());

  it('suggests the nearest command for a mistyped one, and lists every command in help', async () => {
    const typo = await runInProcess(sb, ['pots', 'list']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown command 'pots'[\s\S]*Did you mean post\?/);
    const help = await runInProcess(sb, ['--help']);
    for (const name of ['init', 'post', 'comment', 'moderate', 'build', 'serve', 'import', 'doctor', 'merge-file'])
      expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('prints the version alone, with or without a command after it', async () => {
    expect((await runInProcess(sb, ['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await runInProcess(sb, ['--blog', sb.cwd, '--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
