import path from 'node:path';
import { openBlog } from '../../api/blog.js';
import type { Blog } from '../../api/blog.js';
import { displayPath } from '../../api/blog.js';
import { TermpressError } from '../../core/errors.js';
import type { InitOptions } from '../commands/init.js';
import type { Cli } from '../context.js';
import type { Output } from '../output.js';
import { outputFor } from '../shared.js';

/** `termpress init [dir]`: a new blog in the folder, ready for git; with --templates, the default templates copied in. */
export async function init(cli: Cli, dir: string | undefined, opts: InitOptions): Promise<void> {
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
