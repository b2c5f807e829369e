/**
 * The first minutes of a new user: where a post went when no blog folder was made, who its author is,
 * what the editor opens with, a theme to change, and settings that `config set` and `build` agree on.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../src/cli/main.js';
import { FAKE_EDITOR, editorSteps, terminalContext } from './fixtures/drafting/scripted.js';
import type { Answer } from './fixtures/drafting/scripted.js';
import { Sandbox } from './helpers/cli.js';

const NOW = '2026-11-27T10:00:00Z';

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox({ TERMPRESS_NOW: NOW, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
});
afterEach(() => sb.cleanup());

const readPost = (blog: string, id: string) => JSON.parse(readFileSync(path.join(blog, 'posts', `${id}.json`), 'utf8'));

/** Runs termpress in a pretend terminal with these answers and editor steps. */
async function drive(args: string[], answers: Answer[], steps: object[] = [{ keep: true }]) {
  const { CI: _ci, VISUAL: _v, ...base } = sb.env;
  const term = terminalContext({
    cwd: sb.cwd,
    env: { ...base, NO_COLOR: '1', EDITOR: `node ${FAKE_EDITOR}`, FAKE_EDITOR_STEPS: editorSteps(sb.root, steps) },
    answers,
  });
  const code = await main(['node', 'termpress', ...args], term.ctx);
  return { code, stdout: term.stdout.text, stderr: term.stderr.text, asked: term.prompter.asked };
}

describe('a write to the default blog says where it went', () => {
  it('names the blog and its folder, and how to make a blog folder instead', () => {
    const run = sb.run(['post', 'create', '--title', 'First', '--author', 'Ada']);
    expect(run.code).toBe(0);
    const dir = path.join(sb.home, 'blog');
    expect(run.stderr).toBe(
      `This went into your default blog "My termpress blog" in ${dir}, used when no blog folder is named or found here. ` +
        `To keep a blog in a folder of its own: termpress init <folder>, then work inside it (or pass --blog <folder>).\n`,
    );
    expect(readdirSync(path.join(dir, 'posts'))).toHaveLength(1);
  });

  it('says nothing when a write found nothing to do (a cron job with nothing due stays quiet)', () => {
    sb.ok(['post', 'create', '--title', 'First', '--author', 'Ada']);
    const due = sb.run(['post', 'publish', '--due']);
    expect(due.code).toBe(0);
    expect(due.stderr).not.toContain('default blog');
  });

  it('says nothing for a blog folder, for reads, or under -q', () => {
    expect(sb.run(['post', 'list']).stderr).toBe('No posts.\n');
    expect(sb.run(['-q', 'post', 'create', '--title', 'Quiet', '--author', 'Ada']).stderr).toBe('');
    const blog = sb.initBlog('--author', 'Ada');
    const run = sb.run(['post', 'create', '--title', 'In a folder']);
    expect(run.stderr).toBe('');
    expect(readdirSync(path.join(blog, 'posts'))).toHaveLength(1);
  });
});

describe('the author of a new post', () => {
  let blog: string;
  beforeEach(() => {
    blog = sb.initBlog();
  });

  it("takes git's user.name when termpress has none", () => {
    const gitconfig = path.join(sb.root, 'gitconfig');
    writeFileSync(gitconfig, '[user]\n\tname = Grace Hopper\n');
    const id = sb.ok(['post', 'create', '--title', 'By git', '--porcelain'], { env: { GIT_CONFIG_GLOBAL: gitconfig } }).trim();
    expect(readPost(blog, id).author).toBe('Grace Hopper');
  });

  it('without a name anywhere and no terminal, saves the post but says it has no author and how to set one', () => {
    const run = sb.run(['post', 'create', '--title', 'Nobody', '--porcelain']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'warning: This post has no author: set your name once with termpress config --global set author.name "<name>", or pass --author.\n',
    );
    expect(readPost(blog, run.stdout.trim()).author).toBe('');
  });

  it('in a terminal, asks once and keeps the answer in the user settings', async () => {
    const first = await drive(['post', 'create', '--title', 'Asked', '--body', 'x'], ['Ada Lovelace']);
    expect(first.code).toBe(0);
    expect(first.asked).toEqual(['Your name, shown as the author of your posts']);
    expect(first.stderr).toContain('Saved your name in your user settings');
    const second = await drive(['post', 'create', '--title', 'Not asked', '--body', 'y'], []);
    expect(second.code).toBe(0);
    expect(second.asked).toEqual([]);
    expect(sb.ok(['config', '--global', 'get', 'author.name'])).toBe('Ada Lovelace\n');
    const authors = readdirSync(path.join(blog, 'posts')).map((f) => readPost(blog, f.replace('.json', '')).author);
    expect(authors).toEqual(['Ada Lovelace', 'Ada Lovelace']);
  });
});

describe('init --templates', () => {
  it('copies the site theme with the post scaffolds, and a copied theme file changes the built site', () => {
    const blog = sb.initBlog('--title', 'Themed', '--author', 'Ada');
    const copied = sb.ok(['init', blog, '--templates']);
    for (const file of [
      'post.md',
      'link.md',
      'theme/layout.eta',
      'theme/post.eta',
      'theme/partials/comment.eta',
      'theme/assets/style.css',
    ]) {
      expect(copied).toContain(`Copied template ${path.relative(sb.cwd, path.join(blog, 'templates', file))}\n`);
      expect(existsSync(path.join(blog, 'templates', file))).toBe(true);
    }
    const css = path.join(blog, 'templates', 'theme', 'assets', 'style.css');
    writeFileSync(css, `${readFileSync(css, 'utf8')}\n/* mine */\n`);
    sb.ok(['build']);
    expect(readFileSync(path.join(blog, 'public', 'assets', 'style.css'), 'utf8')).toContain('/* mine */');
    const again = sb.run(['init', blog, '--templates']);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(`Kept ${path.relative(sb.cwd, css)} (already there)`);
  });
});

describe('config set accepts a setting only if build does', () => {
  it.each([
    ['permalink', ':year/:slug/'],
    ['permalink', '/:yr/:slug/'],
    ['permalink', '/:slug.html'],
    ['url', 'ftp://example.com/'],
    ['url', 'http://localhost:4000/blog/'],
    ['timezone', 'UTC+2'],
    ['timezone', 'America/New_York'],
    ['postsPerPage', '0'],
  ])('%s %s', (key, value) => {
    const blog = sb.initBlog('--author', 'Ada');
    const set = sb.run(['config', 'set', key, value]);
    // The same value written by hand (or by another tool) into termpress.json.
    const file = path.join(blog, 'termpress.json');
    const settings = JSON.parse(readFileSync(file, 'utf8'));
    settings[key] = key === 'postsPerPage' ? Number(value) : value;
    writeFileSync(file, JSON.stringify(settings, null, 2));
    const build = sb.run(['build']);
    expect({ set: set.code === 0, build: build.code === 0 }).toEqual({ set: build.code === 0, build: set.code === 0 });
    if (set.code !== 0) {
      expect(set.code).toBe(2);
      expect(set.stderr).toMatch(new RegExp(`^error: .*${key === 'postsPerPage' ? 'postsPerPage' : key}.*\\n$`, 'i'));
    }
  });
});
