/**
 * Nothing read runs code. Front matter is YAML read as data, whatever language its first line names and
 * whatever YAML tags, anchors or keys it holds, on every way a post document comes in: `post create
 * --from` (outside the blog and from its recovery folder), the blog's templates (the default one every
 * `post create` reads, and --template), and the editor of `post edit` and the interactive `post create`.
 * A blog's own theme templates are code (Eta is JavaScript), so build and serve run them only once the
 * user has trusted them. Every payload would write a marker file if it ran.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../src/cli/main.js';
import { FAKE_EDITOR, editorSteps, terminalContext } from './fixtures/drafting/scripted.js';
import type { Answer } from './fixtures/drafting/scripted.js';
import { REPO, Sandbox, removeDir, tempDir } from './helpers/cli.js';
import type { RunResult } from './helpers/cli.js';
import { runInProcess } from './helpers/in-process.js';

let sb: Sandbox;
let blog: string;
let published: string;
/** Where a payload that ran leaves its marker: made before the cases below are written. */
const marks = tempDir('termpress-marks-');

beforeAll(() => {
  sb = new Sandbox({ TERMPRESS_NOW: '2026-11-27T10:00:00Z' });
  blog = sb.initBlog('--title', 'Code', '--author', 'Ada');
  published = sb.ok(['post', 'create', '--title', 'Published', '--body', 'Words.', '--status', 'published', '--porcelain']).trim();
});
afterAll(() => {
  sb.cleanup();
  removeDir(marks);
});

const postIds = () => readdirSync(path.join(blog, 'posts')).sort();

const run = (args: string[]) => runInProcess(sb, args);
const marksLeft = () => readdirSync(marks);

/** JavaScript that writes a marker when evaluated (as gray-matter's js engine did), and gives a title. */
const js = (name: string) =>
  `(function () { process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(path.join(marks, name))}, 'ran'); return { title: 'Ran' }; })()`;

/** First lines that open front matter in another language: JavaScript spelled every way, and others. */
const OPENINGS = [
  '---js',
  '---javascript',
  '--- js',
  '---JS',
  '---JavaScript',
  '---\tjs',
  '---  javascript  ',
  '---js ',
  '---yaml js',
  '---coffee',
  '---coffeescript',
  '---cson',
  '---json',
  '---toml',
];

/** A document in the given language, with the line break given (CRLF too) and a byte order mark when asked. */
function foreign(opening: string, mark: string, options: { crlf?: boolean; bom?: boolean } = {}): string {
  const nl = options.crlf ? '\r\n' : '\n';
  return `${options.bom ? '\uFEFF' : ''}${opening}${nl}${js(mark)}${nl}---${nl}Body.${nl}`;
}

/** The one-line refusal of a document, exit 2, naming where it was read and what it opened with. */
function expectRefused(result: RunResult, where: RegExp | string, reason: RegExp | string): void {
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
  expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(result.stderr).toMatch(/^error: /);
  expect(result.stderr).toMatch(where);
  expect(result.stderr).toMatch(reason);
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
}

const NOT_CODE = /termpress reads only YAML front matter .* and never runs it as code/;

describe('front matter in another language is refused, never run', () => {
  it.each(OPENINGS.map((opening, i) => [opening, i] as const))('post create --from a file opening %j', async (opening, i) => {
    const before = postIds();
    const file = path.join(sb.root, `draft-${i}.md`);
    writeFileSync(file, foreign(opening, `from-${i}`, { crlf: i % 3 === 1, bom: i % 4 === 2 }));
    expectRefused(await run(['post', 'create', '--from', file]), `The front matter of ${file} opens with`, NOT_CODE);
    expect(postIds()).toEqual(before);
    expect(marksLeft()).toEqual([]);
  });

  it('TOML front matter (+++) is refused by name', async () => {
    const file = path.join(sb.root, 'toml.md');
    writeFileSync(file, '+++\ntitle = "x"\n+++\nBody\n');
    expectRefused(await run(['post', 'create', '--from', file]), file, /is TOML \(\+\+\+\): termpress reads YAML front matter/);
  });

  it("from the blog's recovery folder, as the README tells after a failed save", async () => {
    const recovery = path.join(blog, '.termpress', 'recovery');
    mkdirSync(recovery, { recursive: true });
    for (const [i, opening] of ['---js', '--- javascript', '---coffee'].entries()) {
      const file = path.join(recovery, `kept-${i}.md`);
      writeFileSync(file, foreign(opening, `recovery-${i}`));
      expectRefused(await run(['post', 'create', '--from', file]), /\.termpress\/recovery\/kept-\d\.md/, NOT_CODE);
    }
    expect(marksLeft()).toEqual([]);
  });

  it("from the blog's own templates: the default one every post create reads, and --template", async () => {
    const templates = path.join(blog, 'templates');
    mkdirSync(templates, { recursive: true });
    const before = postIds();
    try {
      for (const [i, opening] of ['---js', '---javascript', '--- js', '---coffee'].entries()) {
        writeFileSync(path.join(templates, 'post.md'), foreign(opening, `post-template-${i}`));
        writeFileSync(path.join(templates, 'evil.md'), foreign(opening, `named-template-${i}`, { crlf: true }));
        expectRefused(
          await run(['post', 'create', '--title', 'Plain']),
          /The front matter of the template .*templates\/post\.md opens with/,
          NOT_CODE,
        );
        expectRefused(await run(['post', 'create', '--title', 'Named', '--template', 'evil']), /templates\/evil\.md opens with/, NOT_CODE);
      }
    } finally {
      writeFileSync(path.join(templates, 'post.md'), '---\ncomments: open\n---\n');
    }
    expect(postIds()).toEqual(before);
    expect(marksLeft()).toEqual([]);
  });

  describe('in the editor', () => {
    /** Runs termpress in-process as on a terminal, with a scripted editor. */
    async function drive(args: string[], answers: Answer[], steps: object[]) {
      const { CI: _ci, VISUAL: _v, ...base } = sb.env;
      const term = terminalContext({
        cwd: sb.cwd,
        env: { ...base, NO_COLOR: '1', EDITOR: `node ${FAKE_EDITOR}`, FAKE_EDITOR_STEPS: editorSteps(sb.root, steps) },
        answers,
      });
      const code = await main(['node', 'termpress', ...args], term.ctx);
      return { code, stdout: term.stdout.text, stderr: term.stderr.text };
    }

    it.each(['---js', '---javascript', '--- js', '---coffee'])(
      'post edit whose text is saved opening %j: refused, the post untouched',
      async (opening) => {
        const file = path.join(blog, 'posts', `${published}.json`);
        const before = readFileSync(file, 'utf8');
        // Quit at the "What now?" question that follows an unreadable text.
        const run = await drive(
          ['post', 'edit', published],
          ['quit'],
          [{ write: foreign(opening, `editor-${opening.replace(/\W/g, '')}`) }],
        );
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/error: The front matter of your text opens with .* never runs it as code/);
        expect(readFileSync(file, 'utf8')).toBe(before);
        expect(marksLeft()).toEqual([]);
      },
    );

    it('a recovery folder that is a link: the text of a failed edit is kept in a private temp folder, never through the link', async () => {
      const recovery = path.join(blog, '.termpress', 'recovery');
      const elsewhere = tempDir('termpress-elsewhere-');
      rmSync(recovery, { recursive: true, force: true });
      symlinkSync(elsewhere, recovery);
      try {
        const run = await drive(['post', 'edit', published], ['quit'], [{ replace: ['re:^title: .*$', 'title: [Broken'] }]);
        expect(run.code).toBe(2);
        const kept = /Your text is kept in (\S+?)\.?\n/.exec(run.stderr)?.[1];
        expect(kept).toBeDefined();
        expect(kept!.startsWith(recovery)).toBe(false);
        expect(readFileSync(kept!, 'utf8')).toContain('title: [Broken');
        expect(readdirSync(elsewhere)).toEqual([]);
      } finally {
        rmSync(recovery);
        removeDir(elsewhere);
      }
    });

    it('the interactive post create in a blog whose default template opens with ---js', async () => {
      const file = path.join(blog, 'templates', 'post.md');
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, foreign('---js', 'interactive'));
      const before = postIds();
      try {
        const run = await drive(['post', 'create'], ['Typed title'], [{ body: 'Typed.\n' }]);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/templates\/post\.md opens with "---js"/);
      } finally {
        writeFileSync(file, '---\ncomments: open\n---\n');
      }
      expect(postIds()).toEqual(before);
      expect(marksLeft()).toEqual([]);
    });
  });
});

describe('YAML front matter is data: tags construct nothing, aliases and odd keys are refused', () => {
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const name of 'bcdefghi')
    laughs.push(
      `${name}: &${name} [${Array(9)
        .fill(`*${String.fromCharCode(name.charCodeAt(0) - 1)}`)
        .join(',')}]`,
    );
  const cases: Array<[string, string, RegExp]> = [
    [
      'a JavaScript function tag',
      `title: !!js/function |\n  function () { ${js('tag-fn')} }`,
      /does not parse as YAML \(line 2\): Unresolved tag: tag:yaml\.org,2002:js\/function/,
    ],
    ['an undefined tag', "title: !!js/undefined ''", /Unresolved tag/],
    ['a verbatim tag', `title: !<tag:yaml.org,2002:js/function> |\n  ${js('verbatim')}`, /Unresolved tag/],
    ['a Python object tag', 'title: !!python/object/apply:os.system ["touch pwned"]', /Unresolved tag/],
    ['a local tag', 'title: !shell "touch pwned"', /Unresolved tag/],
    ['a binary tag of YAML 1.1', 'title: !!binary aGVsbG8=', /\(line 2\): the tag !!binary is not plain data; remove it\./],
    ['a set tag', 'title: T\ntags: !!set {a, b}', /the tag !!set is not plain data/],
    ['an ordered map tag on a key', 'title: T\n? !!omap [a: 1]\n: x', /the tag !!omap is not plain data/],
    ['a timestamp tag', 'title: T\ndate: !!timestamp 2026-01-01', /the tag !!timestamp is not plain data/],
    ['a %TAG directive', '%TAG !x! tag:evil.example,2000:\ntitle: !x!run "touch pwned"', /does not parse as YAML/],
    ['an alias to another value', 'title: &t Hello\nexcerpt: *t', /Excerpt refers to an alias \(\*t\)/],
    ['a merge key', 'title: Hello\n<<: {slug: merged}', /Unknown key "<<"/],
    ['a merge of an alias', 'base: &b {slug: merged}\ntitle: Hello\n<<: *b', /Unknown keys "base", "<<"/],
    ['an alias bomb', `${laughs.join('\n')}\ntitle: *i`, /Unknown keys|refers to an alias/],
    ['__proto__', 'title: Hello\n__proto__: {status: published}', /Unknown key "__proto__"/],
    ['constructor and toString', 'title: Hello\nconstructor: {prototype: {x: 1}}\ntoString: x', /Unknown keys "constructor", "toString"/],
    ['a key given twice', 'title: One\ntitle: Two', /does not parse as YAML .*Map keys must be unique/],
    // A recursive parser would exhaust the stack on these, and V8 may then abort the process outright.
    ['flow lists nested a thousand deep', `title: ${'['.repeat(1000)}${']'.repeat(1000)}`, /nests lists or maps more than 8 deep/],
    ['flow lists nested a hundred thousand deep', `title: ${'['.repeat(100_000)}`, /nests lists or maps more than 8 deep/],
    ['flow maps nested deep', `title: ${'{a: '.repeat(20_000)}`, /nests lists or maps more than 8 deep/],
    ['block lists nested deep', `tags:\n  ${'- '.repeat(20_000)}x`, /nests lists or maps more than 8 deep/],
    [
      'block maps nested deep by indentation',
      `title: T\nx:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')}`,
      /nests lists or maps more than 8 deep/,
    ],
    ['a flow map as a title', 'title: {toString: x}', /Title must be text/],
    ['a status that is not one', 'title: Hello\nstatus: !!str published2', /Status must be/],
  ];

  it.each(cases)('%s: exit 2 naming the file, nothing created', async (_name, yaml, reason) => {
    const before = postIds();
    const file = path.join(sb.root, `yaml-${_name.replace(/\W+/g, '-')}.md`);
    writeFileSync(file, `---\n${yaml}\n---\nBody.\n`);
    const result = await run(['post', 'create', '--from', file]);
    expectRefused(result, file, reason);
    expect(postIds()).toEqual(before);
    expect(marksLeft()).toEqual([]);
  });

  it('the same tags in a template are refused too', async () => {
    const file = path.join(blog, 'templates', 'tagged.md');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `---\ntags: !!js/function |\n  function () { ${js('template-tag')} }\n---\n`);
    expectRefused(
      await run(['post', 'create', '--title', 'T', '--template', 'tagged']),
      /templates\/tagged\.md does not parse as YAML/,
      /Unresolved tag/,
    );
    expect(marksLeft()).toEqual([]);
  });
});

describe("a blog's own theme templates are code: run only once trusted", () => {
  const theme = () => path.join(blog, 'templates', 'theme');
  const DEFAULT_404 = readFileSync(path.join(REPO, 'templates', 'theme', '404.eta'), 'utf8');
  const poisoned = (name: string) =>
    `${DEFAULT_404}<% process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(path.join(marks, name))}, 'ran') %>\n`;
  const publicFiles = () =>
    existsSync(path.join(blog, 'public')) ? readdirSync(path.join(blog, 'public'), { recursive: true }).map(String).sort() : [];

  beforeAll(() => {
    mkdirSync(theme(), { recursive: true });
  });

  it('build and serve refuse an untrusted template with exit 4 naming it; nothing is written or run', () => {
    writeFileSync(path.join(theme(), '404.eta'), poisoned('build'));
    const before = publicFiles();
    for (const args of [['build'], ['build', '--clean', '--drafts', '--out', 'preview'], ['serve', '--port', '0']]) {
      const result = sb.run(args);
      expect({ args, code: result.code }).toEqual({ args, code: 4 });
      expect(result.stderr).toBe(
        "error: The blog's own theme templates (templates/theme/404.eta) are JavaScript that runs when the site is built, and you have not trusted them " +
          'on this machine: read them, then build with --trust-theme (or remove them to use the default theme).\n',
      );
    }
    expect(publicFiles()).toEqual(before);
    expect(existsSync(path.join(blog, 'preview'))).toBe(false);
    expect(marksLeft()).toEqual([]);
  });

  it('--trust-theme runs them and trusts them until they change; a changed template is refused again', () => {
    writeFileSync(path.join(theme(), '404.eta'), poisoned('trusted'));
    expect(sb.run(['build', '--clean', '--trust-theme']).code).toBe(0);
    // The user asked for it: the template ran.
    expect(marksLeft()).toEqual(['trusted']);
    expect(sb.run(['build', '--clean']).code).toBe(0);
    writeFileSync(path.join(theme(), '404.eta'), poisoned('changed'));
    const changed = sb.run(['build', '--clean']);
    expect(changed.code).toBe(4);
    expect(changed.stderr).toContain('and they changed since you trusted them: read them, then build with --trust-theme');
    expect(marksLeft()).toEqual(['trusted']);
  });

  it("another blog's trust does not carry over to a blog holding the same templates", () => {
    const other = path.join(sb.root, 'other');
    sb.ok(['init', other, '--title', 'Other']);
    mkdirSync(path.join(other, 'templates', 'theme'), { recursive: true });
    writeFileSync(path.join(other, 'templates', 'theme', '404.eta'), readFileSync(path.join(theme(), '404.eta')));
    expect(sb.run(['build'], { env: { TERMPRESS_BLOG: other } }).code).toBe(4);
  });

  it("templates identical to termpress's own, styles and images need no trust", () => {
    writeFileSync(path.join(theme(), '404.eta'), DEFAULT_404);
    mkdirSync(path.join(theme(), 'assets'), { recursive: true });
    writeFileSync(path.join(theme(), 'assets', 'style.css'), 'body { color: teal; }\n');
    const other = path.join(sb.root, 'fresh');
    sb.ok(['init', other, '--title', 'Fresh']);
    const env = { TERMPRESS_BLOG: other };
    mkdirSync(path.join(other, 'templates', 'theme', 'assets'), { recursive: true });
    writeFileSync(path.join(other, 'templates', 'theme', '404.eta'), DEFAULT_404);
    writeFileSync(path.join(other, 'templates', 'theme', 'assets', 'style.css'), 'body { color: teal; }\n');
    expect(sb.run(['build'], { env })).toMatchObject({ code: 0 });
    expect(readFileSync(path.join(other, 'public', 'assets', 'style.css'), 'utf8')).toBe('body { color: teal; }\n');
  });
});
