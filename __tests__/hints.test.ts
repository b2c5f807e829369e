/**
 * Every `termpress ...` hint that a message in src/ prints names a command that exists, with options
 * it has: the hints are collected from the string literals of the source, and each command they name
 * is run with --help.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO, Sandbox } from './helpers/cli.js';

/** Words that follow "termpress" in prose ("termpress reads YAML front matter"), not in a command. */
const PROSE = new Set([
  'as',
  'blog',
  'creates',
  'does',
  'elsewhere',
  'id',
  'knows',
  'merges',
  'on',
  'or',
  'reads',
  'runs',
  'to',
  'with',
  'writes',
]);

/** The text of every string and template literal in a source file, a template's ${...} parts written "${}". */
function literals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const texts: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) texts.push(node.text);
    else if (ts.isTemplateExpression(node))
      texts.push(node.head.text + node.templateSpans.map((span) => '${}' + span.literal.text).join(''));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

interface Hint {
  file: string;
  text: string;
  words: string[];
}

/** Each "termpress ..." in the literals, up to the end of its clause, as words. */
function collectHints(): Hint[] {
  const hints: Hint[] = [];
  for (const file of sourceFiles(path.join(REPO, 'src'))) {
    for (const text of literals(file)) {
      for (const match of text.matchAll(/\btermpress ([^;:()]*?)(?=[;:()]|[.,]\s|[.,]?$)/g)) {
        const words = match[1]!.split(/\s+/).filter(Boolean);
        // "termpress's", "termpress serve's Like button": a possessive is prose too.
        if (words.length === 0 || PROSE.has(words[0]!) || !/^[a-z$]/.test(words[0]!) || words[0]!.endsWith("'s")) continue;
        hints.push({ file: path.relative(REPO, file), text: `termpress ${match[1]}`, words });
      }
    }
  }
  return hints;
}

const sb = new Sandbox();
afterAll(() => sb.cleanup());

const helpCache = new Map<string, { code: number; text: string }>();
/** `termpress <path> --help`, run once per path. */
function help(words: string[]): { code: number; text: string } {
  const key = words.join(' ');
  let result = helpCache.get(key);
  if (!result) {
    const run = sb.run([...words, '--help']);
    result = { code: run.code, text: run.stdout + run.stderr };
    helpCache.set(key, result);
  }
  return result;
}

/** The subcommands a help text lists (first name of each, without "help"). */
function subcommands(text: string): string[] {
  const section = /\nCommands:\n([\s\S]*?)(?:\n\n|$)/.exec(text)?.[1] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'help');
}

/** The commands a hint names (several for "approve|spam|trash"), and the options it gives them. */
function commandsOf(hint: Hint): { paths: string[][]; flags: string[]; problem?: string } {
  let paths: string[][] = [[]];
  const flags: string[] = [];
  for (const word of hint.words) {
    if (word.startsWith('--')) {
      flags.push(word.replace(/[=,.].*$/, ''));
      continue;
    }
    const here = paths[0]!;
    const subs = subcommands(help(here).text);
    if (here.length > 0 && subs.length === 0) break;
    if (word.includes('${}')) break;
    const names = word.split('|');
    const unknown = names.filter((name) => !subs.includes(name));
    if (unknown.length > 0) {
      return {
        paths,
        flags,
        problem: `"${unknown.join('|')}" is not a command of termpress ${here.join(' ')} (it has ${subs.join(', ')})`.replace(
          'termpress  ',
          'termpress ',
        ),
      };
    }
    paths = paths.flatMap((p) => names.map((name) => [...p, name]));
  }
  return { paths, flags };
}

const hints = collectHints();

it('finds the hints in the messages', () => {
  expect(hints.length).toBeGreaterThan(20);
  expect(hints.map((h) => h.text)).toContain('termpress post create --from ${}');
});

it.each(hints.map((hint) => [`${hint.text} (${hint.file})`, hint] as const))('%s', (_name, hint) => {
  const { paths, flags, problem } = commandsOf(hint);
  expect(problem).toBeUndefined();
  for (const words of paths) {
    if (words.length === 0) continue;
    const shown = help(words);
    expect({ words, code: shown.code }).toEqual({ words, code: 0 });
    // Commander shows aliases after a bar: "Usage: termpress post list|ls [options]".
    expect(shown.text).toMatch(new RegExp(`Usage: termpress ${words.join(' ')}[ |]`));
    // An option may belong to the command, to a command above it (config --global) or to every command (--blog).
    const known = [shown.text, ...words.map((_, i) => help(words.slice(0, i)).text)].join('\n');
    for (const flag of flags) {
      if (flag === '--help') continue;
      expect({ words, flag, known: known.includes(`${flag} `) || known.includes(`${flag}\n`) || known.includes(`${flag},`) }).toEqual({
        words,
        flag,
        known: true,
      });
    }
  }
});
