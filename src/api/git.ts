/**
 * A blog shared through git: the set-up that makes git merge the blog's files with termpress (the
 * ignore and attributes files, the merge driver in the repository's configuration), the merge driver
 * itself, and what doctor says about both.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RefusedError, StorageError } from '../core/errors.js';
import { blogFolder } from '../store/confined.js';
import { runGit, gitOutput } from '../store/git.js';
import { displayPath } from '../store/layout.js';
import { MERGED_PATTERNS, mergeFileTexts } from '../store/merge-files.js';
import type { FileMerge } from '../store/merge-files.js';
import type { Blog } from './blog.js';

/** The name of termpress's merge driver in git's attributes and configuration. */
export const DRIVER = 'termpress';

/** What git runs to merge a blog file, in the configuration key merge.termpress.driver. */
export const DRIVER_ARGS = 'merge-file %O %A %B %P';

const ATTRIBUTES_HEADER = "# termpress merges the blog's JSON files field by field (termpress git setup)";
/** What .gitattributes said above the driver's lines before the taxonomy and media were merged too. */
const OLD_ATTRIBUTES_HEADER = '# termpress merges posts, settings and likes field by field (termpress git setup)';
const IGNORE_HEADER = '# termpress: private files (index, lock, secret, recovery) and the built site (termpress git setup)';

/** This termpress's command line as git's shell reads it: node and the bin script by absolute paths. */
export function driverCommand(): string {
  const bin = fileURLToPath(new URL('../../bin/termpress.js', import.meta.url));
  return `${shellQuote(process.execPath)} ${shellQuote(bin)} ${DRIVER_ARGS}`;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The words of a command line written by driverCommand (single-quoted), or null for any other. */
function quotedWords(command: string): string[] | null {
  const words: string[] = [];
  const pattern = /\s*'((?:[^']|'\\'')*)'/y;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(command))) words.push(match[1]!.replace(/'\\''/g, "'"));
  return words.length >= 2 ? words : null;
}

/** The top folder of the git work tree holding dir, or null when dir is not in one (or git is missing). */
export async function gitTopLevel(dir: string, env?: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    const result = await runGit(['rev-parse', '--show-toplevel'], { cwd: dir, env });
    return result.code === 0 ? result.stdout.trim() : null;
  } catch {
    return null;
  }
}

export interface GitSetupOptions {
  /** Keep the built site (public/) in git too (deterministic builds diff cleanly). */
  trackSite?: boolean | undefined;
  /** Create a repository when the blog is not in one (else only the files are written). */
  init?: boolean | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

export interface GitSetupReport {
  /** The repository's top folder, or null when the blog is not in one. */
  repository: string | null;
  /** True when this set-up created the repository. */
  initialised: boolean;
  /** The files written (the ignore and attributes files), by path. */
  written: string[];
  /** True when the merge driver was registered (or changed) in the repository's configuration. */
  registered: boolean;
  /** The driver's command line, as registered. */
  driver: string | null;
}

/**
 * Makes the blog folder ready for git: .gitignore keeps the private files (and, unless trackSite, the
 * built site) out; .gitattributes names termpress's merge driver for the settings, the posts and the
 * likes; and in a repository the driver is registered in its configuration (.git/config), pointing at
 * this termpress by absolute path. Lines a person wrote are kept. Running it again changes nothing.
 */
export async function setupGit(blog: Blog, options: GitSetupOptions = {}): Promise<GitSetupReport> {
  const env = options.env;
  const files = blog.store.files;
  let repository = await gitTopLevel(blog.dir, env);
  let initialised = false;
  if (repository === null && options.init) {
    await gitOutput(['init', '--quiet'], { cwd: blog.dir, env }, 'git init');
    repository = await gitTopLevel(blog.dir, env);
    initialised = true;
  }
  const written: string[] = [];
  const ensureLines = async (name: string, header: string, lines: string[]) => {
    const file = path.join(blog.dir, name);
    const text = (await files.readText(file)) ?? '';
    const have = new Set(text.split(/\r?\n/).map((line) => line.trim()));
    const missing = lines.filter((line) => !have.has(line));
    if (missing.length === 0) return;
    const lead = text === '' ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    const headed = have.has(header) || (name === '.gitattributes' && have.has(OLD_ATTRIBUTES_HEADER));
    await files.write(file, `${text}${lead}${headed ? '' : `${header}\n`}${missing.join('\n')}\n`);
    written.push(file);
  };
  await ensureLines('.gitignore', IGNORE_HEADER, ['/.termpress/', ...(options.trackSite ? [] : ['/public/'])]);
  await ensureLines(
    '.gitattributes',
    ATTRIBUTES_HEADER,
    Object.values(MERGED_PATTERNS).map((pattern) => `${pattern} merge=${DRIVER}`),
  );
  if (repository === null) return { repository, initialised, written, registered: false, driver: null };

  const command = driverCommand();
  const bin = quotedWords(command)![1]!;
  if (isInside(bin, repository)) {
    throw new RefusedError(
      `This termpress runs from inside the blog's repository (${displayPath(bin)}), so git would run code the repository carries to merge it: ` +
        'install termpress elsewhere (npm install --global termpress) and run termpress git setup from there.',
    );
  }
  const current = await configured(blog.dir, env);
  let registered = false;
  if (current !== command) {
    await gitOutput(
      ['config', '--local', `merge.${DRIVER}.name`, "termpress: the blog's JSON files field by field"],
      { cwd: blog.dir, env },
      'git config',
    );
    await gitOutput(['config', '--local', `merge.${DRIVER}.driver`, command], { cwd: blog.dir, env }, 'git config');
    registered = true;
  }
  return { repository, initialised, written, registered, driver: command };
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The merge driver registered in the repository's configuration, or null. */
async function configured(dir: string, env?: NodeJS.ProcessEnv): Promise<string | null> {
  const result = await runGit(['config', '--get', `merge.${DRIVER}.driver`], { cwd: dir, env });
  return result.code === 0 ? result.stdout.trim() : null;
}

/** Whether git's attributes send the blog's own files to termpress's merge driver. */
export async function attributesNameDriver(dir: string, env?: NodeJS.ProcessEnv): Promise<boolean> {
  const samples = ['termpress.json', 'taxonomy.json', 'media.json', 'posts/00000000.json', 'likes/00000000.json'];
  const result = await runGit(['check-attr', 'merge', '--', ...samples], { cwd: dir, env });
  if (result.code !== 0) return false;
  const named = result.stdout.split('\n').filter((line) => line.endsWith(`: merge: ${DRIVER}`));
  return named.length === samples.length;
}

/** What is missing for git to merge a blog in a repository with termpress: one sentence each, none when all is there. */
export async function gitSetupProblems(blog: Blog, env?: NodeJS.ProcessEnv): Promise<string[]> {
  if ((await gitTopLevel(blog.dir, env)) === null) return [];
  const problems: string[] = [];
  if (!(await attributesNameDriver(blog.dir, env)))
    problems.push(
      ".gitattributes does not name termpress's merge driver for every file it merges (posts, settings, likes, taxonomy, media)",
    );
  const command = await configured(blog.dir, env);
  if (command === null) {
    problems.push("the repository's configuration has no merge.termpress.driver, so git would merge posts as plain text");
  } else {
    const words = quotedWords(command);
    const missing = [];
    for (const word of words?.slice(0, 2) ?? []) if (!(await fs.stat(word).catch(() => null))) missing.push(word);
    if (missing.length)
      problems.push(`merge.termpress.driver runs ${missing.map((file) => displayPath(file)).join(' and ')}, which is no longer there`);
  }
  return problems;
}

/** The files git hands a merge driver: the common ancestor's, ours (where the result goes) and theirs, and the file's path. */
export interface DriverFiles {
  base: string;
  ours: string;
  theirs: string;
  /** The file's path in the repository, as git names it. */
  path: string;
}

/**
 * git's merge driver for one blog file: reads the three versions git wrote (never through a link),
 * validates each with the file's schema, merges them and writes the result over "ours", the only file
 * it writes. No blog is opened and nothing of the repository runs. A file it cannot merge is left as
 * it was, and the error says why.
 */
export async function runMergeDriver(files: DriverFiles): Promise<FileMerge> {
  const read = async (file: string, required: boolean): Promise<string | null> => {
    const text = await blogFolder(path.dirname(file)).readText(file);
    if (text === null && required) throw new StorageError(`${displayPath(file)} does not exist: git hands the merge driver three files.`);
    return text;
  };
  const [base, ours, theirs] = [await read(files.base, false), await read(files.ours, true), await read(files.theirs, true)];
  const merged = mergeFileTexts(files.path, { base, ours: ours!, theirs: theirs! });
  await blogFolder(path.dirname(files.ours)).overwrite(files.ours, merged.text);
  return merged;
}
