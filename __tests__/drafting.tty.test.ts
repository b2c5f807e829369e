/**
 * Drafting through a real terminal: the built binary runs in a tmux pane, keys are typed into it, and the
 * blog folder is read afterwards. Skipped only when tmux is not installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { FAKE_EDITOR, editorSteps } from './fixtures/drafting/scripted.js';
import { BIN, Sandbox } from './helpers/cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const maybe = hasTmux ? describe : describe.skip;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One tmux session running a termpress command; the pane stays after it ends and shows its exit code. */
class Pane {
  readonly name = `termpress-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(env: NodeJS.ProcessEnv, args: string[], cwd: string) {
    const vars = Object.entries(env)
      .map(([k, v]) => `${k}=${quote(v ?? '')}`)
      .join(' ');
    // Ctrl-C reaches the whole foreground group, the pane's shell too: its trap keeps it alive to print the
    // exit code (a caught signal is reset for the commands it starts, so termpress gets Ctrl-C as usual).
    const command = `trap true INT; cd ${quote(cwd)} && env -u CI -u VISUAL ${vars} ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}; echo "EXIT=$?"; sleep 120`;
    const started = spawnSync('tmux', ['new-session', '-d', '-x', '120', '-y', '40', '-s', this.name, command]);
    if (started.status !== 0) throw new Error(`tmux new-session failed: ${started.stderr}`);
  }

  screen(): string {
    // -J joins lines the pane wrapped, so a long path reads as one.
    return spawnSync('tmux', ['capture-pane', '-p', '-J', '-t', this.name], { encoding: 'utf8' }).stdout;
  }

  keys(...keys: string[]): void {
    spawnSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  /** Waits until the screen matches, for at most timeoutMs; fails with the screen otherwise. */
  async waitFor(pattern: RegExp, timeoutMs = 15000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > until) throw new Error(`Timed out waiting for ${pattern} on the screen:\n${screen}`);
      await sleep(100);
    }
  }

  async exitCode(): Promise<number> {
    const screen = await this.waitFor(/EXIT=\d+/);
    return Number(/EXIT=(\d+)/.exec(screen)![1]);
  }

  close(): void {
    spawnSync('tmux', ['kill-session', '-t', this.name]);
  }
}

maybe('termpress drafting in a real terminal (tmux)', () => {
  let sb: Sandbox;
  let blog: string;
  let pane: Pane | undefined;

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: '2026-11-27T10:00:00Z' });
    blog = path.join(sb.cwd, 'blog');
    sb.ok(['init', blog, '--title', 'Field notes', '--author', 'Ada']);
  });
  afterEach(() => {
    pane?.close();
    pane = undefined;
    sb.cleanup();
  });

  const postFiles = () => readdirSync(path.join(blog, 'posts'));
  const open = (args: string[], steps: object[]) =>
    new Pane(
      {
        TERMPRESS_CONFIG_DIR: sb.home,
        HOME: sb.home,
        TERMPRESS_BLOG: blog,
        TERMPRESS_NOW: '2026-11-27T10:00:00Z',
        NO_COLOR: '1',
        EDITOR: `node ${FAKE_EDITOR}`,
        FAKE_EDITOR_STEPS: editorSteps(sb.root, steps),
      },
      args,
      sb.cwd,
    );

  it('post create: type a title, Enter through the prompts, and the draft holds the editor body', async () => {
    pane = open(['post', 'create'], [{ body: 'Typed in a real terminal.\n' }]);
    await pane.waitFor(/\? Title/);
    pane.keys('A terminal draft', 'Enter');
    await pane.waitFor(/\? Categories/);
    pane.keys('Enter');
    await pane.waitFor(/\? Tags/);
    pane.keys('Enter');
    const preview = await pane.waitFor(/\? What next\?/);
    expect(preview).toMatch(/Title\s+A terminal draft/);
    expect(preview).toMatch(/Typed in a real terminal\./);
    pane.keys('Enter');
    expect(await pane.exitCode()).toBe(0);
    expect(pane.screen()).toMatch(/Created \w{8} "A terminal draft" \(draft\) with slug a-terminal-draft/);
    const [file] = postFiles();
    const post = JSON.parse(readFileSync(path.join(blog, 'posts', file!), 'utf8'));
    expect(post).toMatchObject({ title: 'A terminal draft', status: 'draft', body: 'Typed in a real terminal.\n', author: 'Ada' });
  });

  it('Ctrl-C at a prompt: exit 130, one line, nothing created', async () => {
    pane = open(['post', 'create'], [{ keep: true }]);
    await pane.waitFor(/\? Title/);
    pane.keys('Half a ti');
    await pane.waitFor(/Half a ti/);
    pane.keys('C-c');
    expect(await pane.exitCode()).toBe(130);
    const screen = pane.screen();
    expect(screen).toMatch(/error: Cancelled\./);
    expect(screen).not.toMatch(/at .*\.js:\d+/);
    expect(postFiles()).toEqual([]);
  });

  it('post edit: invalid front matter goes to recovery, Quit exits 2 and the post is untouched', async () => {
    const id = sb.ok(['post', 'create', '--porcelain', '--title', 'Edited', '--body', 'Body.'], { env: { TERMPRESS_BLOG: blog } }).trim();
    pane = open(['post', 'edit', id], [{ replace: ['title: Edited', 'title: [oops'] }]);
    await pane.waitFor(/\? What now\?/);
    expect(pane.screen()).toMatch(/does not parse as YAML/);
    pane.keys('Down', 'Enter');
    expect(await pane.exitCode()).toBe(2);
    const recovery = path.join(blog, '.termpress', 'recovery');
    expect(existsSync(recovery)).toBe(true);
    const [kept] = readdirSync(recovery);
    expect(readFileSync(path.join(recovery, kept!), 'utf8')).toContain('title: [oops');
    const post = JSON.parse(readFileSync(path.join(blog, 'posts', `${id}.json`), 'utf8'));
    expect(post).toMatchObject({ title: 'Edited', revision: 1 });
  });

  describe('Ctrl-C while the editor is open keeps the text and says how to pick it up', () => {
    const recovery = () => path.join(blog, '.termpress', 'recovery');
    const kept = () => (existsSync(recovery()) ? readdirSync(recovery()).map((f) => path.join(recovery(), f)) : []);
    const run = (args: string[]) => sb.ok(args, { env: { TERMPRESS_BLOG: blog } });

    it('post create: exit 130, the text in .termpress/recovery/, and post create --from picks it up and removes it', async () => {
      pane = open(['post', 'create'], [{ body: 'Words typed before Ctrl-C.\n', hold: 60000 }]);
      await pane.waitFor(/\? Title/);
      pane.keys('Interrupted draft', 'Enter');
      await pane.waitFor(/\? Categories/);
      pane.keys('Enter');
      await pane.waitFor(/\? Tags/);
      pane.keys('Enter');
      await pane.waitFor(/fake-editor: saved, holding/);
      pane.keys('C-c');
      expect(await pane.exitCode()).toBe(130);
      // The screen with the files, so that a failure shows what termpress said.
      expect({ kept: kept().length, screen: pane.screen() }).toMatchObject({ kept: 1 });
      const [file] = kept();
      expect(file).toBeDefined();
      expect(readFileSync(file!, 'utf8')).toMatch(/^---\ntitle: Interrupted draft\n[\s\S]*---\nWords typed before Ctrl-C\.\n$/);
      expect(pane.screen()).toContain(
        `error: The editor (node ${FAKE_EDITOR}) was interrupted (Ctrl-C); nothing was saved. ` +
          `Your text is kept in ${file} (termpress post create --from ${file} tries again).`,
      );
      expect(postFiles()).toEqual([]);
      const id = run(['post', 'create', '--from', file!, '--porcelain']).trim();
      const post = JSON.parse(readFileSync(path.join(blog, 'posts', `${id}.json`), 'utf8'));
      expect(post).toMatchObject({ title: 'Interrupted draft', body: 'Words typed before Ctrl-C.\n' });
      expect(kept()).toEqual([]);
    });

    it('post edit: exit 130, and the post edit --from line it prints applies the text and removes the file', async () => {
      const id = run(['post', 'create', '--porcelain', '--title', 'Edited', '--body', 'Old body.']).trim();
      pane = open(['post', 'edit', id], [{ body: 'New body, interrupted.\n', hold: 60000 }]);
      await pane.waitFor(/fake-editor: saved, holding/);
      pane.keys('C-c');
      expect(await pane.exitCode()).toBe(130);
      // The screen with the files, so that a failure shows what termpress said.
      expect({ kept: kept().length, screen: pane.screen() }).toMatchObject({ kept: 1 });
      const [file] = kept();
      const pickup = `termpress post edit ${id} --from ${file} --if-revision 1`;
      expect(pane.screen()).toContain(`Your text is kept in ${file} (${pickup} tries again).`);
      expect(JSON.parse(readFileSync(path.join(blog, 'posts', `${id}.json`), 'utf8'))).toMatchObject({ body: 'Old body.', revision: 1 });
      expect(run(pickup.split(' ').slice(1))).toBe(`Updated ${id} "Edited" (draft): body (revision 2)\n`);
      expect(JSON.parse(readFileSync(path.join(blog, 'posts', `${id}.json`), 'utf8'))).toMatchObject({ body: 'New body, interrupted.\n' });
      expect(kept()).toEqual([]);
    });

    it('comment reply: exit 130, the reply without the quoted comment kept, and comment reply --body-file sends it', async () => {
      const post = run(['post', 'create', '--porcelain', '--title', 'Open', '--status', 'published']).trim();
      const comment = run([
        'comment',
        'add',
        post,
        '--porcelain',
        '--author',
        'Grace',
        '--email',
        'g@example.com',
        '--body',
        'A question?',
      ]).trim();
      pane = open(['comment', 'reply', comment], [{ replace: ['re:^', 'An answer.\n'], hold: 60000 }]);
      await pane.waitFor(/fake-editor: saved, holding/);
      pane.keys('C-c');
      expect(await pane.exitCode()).toBe(130);
      // The screen with the files, so that a failure shows what termpress said.
      expect({ kept: kept().length, screen: pane.screen() }).toMatchObject({ kept: 1 });
      const [file] = kept();
      expect(readFileSync(file!, 'utf8')).toBe('An answer.\n');
      const pickup = `termpress comment reply ${comment} --body-file ${file}`;
      expect(pane.screen()).toContain(`Your text is kept in ${file} (${pickup} tries again).`);
      expect(run(pickup.split(' ').slice(1))).toMatch(/^Replied \w{8} to comment /);
      expect(kept()).toEqual([]);
    });
  });
});
