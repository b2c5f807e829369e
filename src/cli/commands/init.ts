import path from 'node:path';
import { Command } from '@commander-js/extra-typings';
import { openBlog } from '../../api/blog.js';
import type { Blog } from '../../api/blog.js';
import { displayPath } from '../../api/blog.js';
import { TermpressError } from '../../core/errors.js';
import type { Cli } from '../context.js';
import type { Output } from '../output.js';
import { outputFor } from '../shared.js';

/** `termpress init [dir]`: a new blog folder. */
export function initCommand(cli: Cli) {
  return new Command('init')
    .description('create a blog in a folder (default: the current one)')
    .argument('[dir]', 'the folder to create the blog in')
    .option('--title <text>', 'the blog title')
    .option('--description <text>', 'a one-line description')
    .option('--url <url>', 'the address the site will be served at, e.g. https://example.com/')
    .option('--author <name>', 'the default author of new posts')
    .option('--timezone <zone>', 'the IANA timezone dates are shown and typed in, e.g. Europe/Paris')
    .option('--language <code>', 'the language code, e.g. en')
    .option(
      '--templates',
      "copy termpress's post templates and site theme into the blog's templates/ folder for customising (in an existing blog: only that)",
    )
    .action(async (dir, opts) => {
      const out = outputFor(cli);
      const target = path.resolve(cli.ctx.cwd, dir ?? cli.globals().blog ?? '.');
      const blog = await openBlog({ blog: target, cwd: cli.ctx.cwd, env: cli.ctx.env });
      if (opts.templates && (await blog.exists())) {
        await copyTemplates(blog, out, cli.ctx.cwd);
        return;
      }
      let author = opts.author;
      if (author === undefined) {
        const { openUserConfig } = await import('../../api/user.js');
        author = (await openUserConfig(cli.ctx.env)).get('author.name');
      }
      const settings = await blog.init({
        title: opts.title,
        description: opts.description,
        url: opts.url,
        author,
        timezone: opts.timezone,
        language: opts.language,
      });
      out.result(`Created blog "${settings.title}" in ${blog.dir}`);
      await readyForGit(blog, out, cli);
      if (opts.templates) await copyTemplates(blog, out, cli.ctx.cwd);
      out.info('Next: termpress post create --title "Hello" (add --blog if you are not inside the folder).');
    });
}

/**
 * A new blog is ready for git: its ignore and attributes files are written, and inside a repository the
 * merge driver is registered. What cannot be done is a warning: the blog itself was created.
 */
async function readyForGit(blog: Blog, out: Output, cli: Cli): Promise<void> {
  const { setupGit } = await import('../../api/git.js');
  try {
    const report = await setupGit(blog, { init: false, env: cli.ctx.env });
    if (report.registered)
      out.info("Registered termpress's merge driver in the git repository, so that merges keep every comment and edit.");
  } catch (error) {
    if (!(error instanceof TermpressError)) throw error;
    out.warn(`${error.message.replace(/\.$/, '')} (the blog is created; termpress git setup tries again).`);
  }
}

/** Copies the default post templates and theme into the blog, keeping any the blog already has. */
async function copyTemplates(blog: Blog, out: Output, cwd: string): Promise<void> {
  const { copyDefaultTemplates } = await import('../../api/templates.js');
  const { copied, kept } = await copyDefaultTemplates(blog);
  for (const file of copied) out.result(`Copied template ${displayPath(file, cwd)}`);
  for (const file of kept) out.info(`Kept ${displayPath(file, cwd)} (already there)`);
  out.info(
    'Edit them to change how new posts start (termpress post create --template <name> picks templates/<name>.md) ' +
      'and how the site looks (templates/theme/, used by termpress build; remove a file to go back to the default).',
  );
}
