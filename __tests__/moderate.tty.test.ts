import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, Sandbox } from './helpers/cli.js';

const START = Date.parse('2026-11-27T10:00:00Z');
const minute = (n: number) => new Date(START + n * 60_000).toISOString();
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

describe('termpress moderate', () => {
  let sb: Sandbox;
  let blog: string;
  let postId: string;

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: minute(0) });
    blog = sb.initBlog('--title', 'Field notes', '--author', 'Owner');
    postId = sb.ok(['post', 'create', '--title', 'Hello world', '--status', 'published', '--porcelain']).trim();
  });
  afterEach(() => sb.cleanup());

  const add = (n: number, ...args: string[]) =>
    sb.ok(['comment', 'add', postId, '--porcelain', ...args], { env: { TERMPRESS_NOW: minute(n) } }).trim();
  const statusOf = () => {
    const post = JSON.parse(readFileSync(path.join(blog, 'posts', `${postId}.json`), 'utf8'));
    return post.comments as Array<{ id: string; status: string; parentId: string | null; author: string; body: string }>;
  };

  it('without a terminal exits 2 and points at comment approve', () => {
    add(1, '--author', 'Grace', '--email', 'grace@example.com', '--body', 'Hi');
    const result = sb.run(['moderate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs a terminal.*termpress comment approve/);
  });

  (hasTmux ? it : it.skip)(
    'walks the queue in a real terminal: approve, undo, spam, edit and reply through the editor, summary',
    async () => {
      const grace = add(
        1,
        '--author',
        'Grace',
        '--email',
        'grace@example.com',
        '--ip',
        '192.0.2.1',
        '--body',
        'See http://a.example and http://b.example',
      );
      const ada = add(2, '--author', 'Ada', '--email', 'ada@example.com', '--body', 'An approved parent', '--approve');
      const bob = add(
        3,
        '--author',
        'Bob',
        '--email',
        'bob@example.com',
        '--ip',
        '192.0.2.2',
        '--parent',
        ada,
        '--body',
        'Replying to Ada',
      );
      const mallory = add(
        4,
        '--author',
        'Mallory',
        '--email',
        'm@example.com',
        '--ip',
        '192.0.2.3',
        '--body',
        'Title \u001b]0;pwned\u0007 and \u001b[2J clear',
      );

      const editor = path.join(sb.root, 'editor.sh');
      writeFileSync(editor, '#!/bin/sh\nprintf "Thanks from the editor.\\n" > "$1"\n');
      chmodSync(editor, 0o755);
      const exitFile = path.join(sb.root, 'exit-code');
      const env = [
        ['TERMPRESS_CONFIG_DIR', sb.home],
        ['HOME', sb.home],
        ['TERMPRESS_BLOG', blog],
        ['TERMPRESS_NOW', minute(10)],
        ['EDITOR', editor],
        ['VISUAL', editor],
      ]
        .map(([k, v]) => `${k}=${quote(v!)}`)
        .join(' ');
      const command = `env -u CI -u NO_COLOR ${env} ${quote(process.execPath)} ${quote(BIN)} moderate; echo $? > ${quote(exitFile)}; sleep 30`;
      const socket = `termpress-test-${process.pid}`;
      const session = 'moderate';
      const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
      const pane = () => tmux('capture-pane', '-p', '-t', session).stdout;
      const waitFor = async (...texts: string[]) => {
        const deadline = Date.now() + 15_000;
        for (;;) {
          const screen = pane();
          if (texts.every((t) => screen.includes(t))) return screen;
          if (Date.now() > deadline) throw new Error(`Timed out waiting for ${JSON.stringify(texts)}; the screen shows:\n${screen}`);
          await sleep(100);
        }
      };
      const press = (key: string) => tmux('send-keys', '-t', session, key);

      expect(tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', session, command).status).toBe(0);
      try {
        let screen = await waitFor('Pending comment 1 of 3', 'Action?');
        expect(screen).toContain('"Hello world" (hello-world)');
        expect(screen).toContain('Grace <grace@example.com>');
        expect(screen).toContain('192.0.2.1');
        expect(screen).toContain('2 links (limit 2); first comment from this author');
        expect(screen).toMatch(/a approve {2}s spam {2}t trash {2}r reply {2}e edit {2}n skip {2}u undo {2}q quit/);

        press('a');
        screen = await waitFor('Pending comment 2 of 3', `Approved comment ${grace}.`);
        expect(screen).toContain('Reply to Ada (approved');
        expect(screen).toContain('An approved parent');

        press('u');
        await waitFor('Pending comment 1 of 3', `Undone: approved ${grace}.`);
        expect(statusOf().find((c) => c.id === grace)?.status).toBe('pending');

        press('a');
        await waitFor('Pending comment 2 of 3');
        press('s');
        screen = await waitFor('Pending comment 3 of 3', `Marked as spam comment ${bob}.`);
        expect(screen).toContain('Title  and  clear');
        expect(tmux('display-message', '-p', '-t', session, '#{pane_title}').stdout).not.toContain('pwned');

        press('e');
        await waitFor('Pending comment 3 of 3', `Edited comment ${mallory}`, 'Thanks from the editor.');
        expect(statusOf().find((c) => c.id === mallory)?.body).toBe('Thanks from the editor.');

        press('r');
        screen = await waitFor('Moderation done:');
        expect(screen).toContain('The queue is done.');
        expect(screen).toContain('Moderation done: 1 approved, 1 spam, 0 trashed, 1 replied, 1 edited, 0 skipped; 0 still pending.');
        const deadline = Date.now() + 5000;
        while (!existsSync(exitFile) && Date.now() < deadline) await sleep(50);
        expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
      } finally {
        tmux('kill-server');
      }

      const comments = statusOf();
      const byId = new Map(comments.map((c) => [c.id, c]));
      expect(byId.get(grace)?.status).toBe('approved');
      expect(byId.get(bob)?.status).toBe('spam');
      expect(byId.get(mallory)?.status).toBe('approved');
      const reply = comments.find((c) => c.parentId === mallory);
      expect(reply).toMatchObject({ author: 'Owner', status: 'approved', body: 'Thanks from the editor.' });
    },
  );

  (hasTmux ? it : it.skip)('takes keys typed ahead while an action is saved: a queue cleared at typing speed loses none', async () => {
    const count = 25;
    const script = `import { openBlog } from 'termpress';
      const blog = await openBlog({ blog: ${JSON.stringify(blog)} });
      for (let i = 0; i < ${count}; i++) {
        await blog.addComment(${JSON.stringify(postId)}, { author: 'Reader ' + i, email: 'r' + i + '@example.com', ip: '198.51.100.' + i, body: 'Comment ' + i });
      }`;
    const seeded = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: path.dirname(path.dirname(BIN)),
      env: sb.env,
      encoding: 'utf8',
    });
    expect(seeded.stderr).toBe('');
    expect(statusOf().filter((c) => c.status === 'pending')).toHaveLength(count);

    const env = [
      ['TERMPRESS_CONFIG_DIR', sb.home],
      ['HOME', sb.home],
      ['TERMPRESS_BLOG', blog],
    ]
      .map(([k, v]) => `${k}=${quote(v!)}`)
      .join(' ');
    const socket = `termpress-typeahead-${process.pid}`;
    const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    const command = `env -u CI ${env} ${quote(process.execPath)} ${quote(BIN)} moderate; sleep 30`;
    expect(tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', 'queue', command).status).toBe(0);
    try {
      const waitFor = async (text: string) => {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const screen = tmux('capture-pane', '-p', '-t', 'queue').stdout;
          if (screen.includes(text)) return screen;
          if (Date.now() > deadline) throw new Error(`Timed out waiting for ${JSON.stringify(text)}; the screen shows:\n${screen}`);
          await sleep(100);
        }
      };
      await waitFor(`Pending comment 1 of ${count}`);
      // Every key at once, far faster than each approval is saved.
      tmux('send-keys', '-t', 'queue', ...Array.from({ length: count }, () => 'a'));
      await waitFor(`Moderation done: ${count} approved, 0 spam, 0 trashed, 0 replied, 0 edited, 0 skipped; 0 still pending.`);
    } finally {
      tmux('kill-server');
    }
    expect(statusOf().filter((c) => c.status === 'approved')).toHaveLength(count);
  });

  (hasTmux ? it : it.skip)(
    'wraps long comments at word boundaries, explains its keys, and quotes the comment in the reply editor',
    async () => {
      const words = Array.from({ length: 40 }, (_, i) => `word${String(i).padStart(2, '0')}${'x'.repeat(i % 5)}`);
      const long = add(1, '--author', 'Grace', '--email', 'grace@example.com', '--body', `${words.join(' ')}\nSecond line.`);
      const seen = path.join(sb.root, 'seen.txt');
      const editor = path.join(sb.root, 'editor.sh');
      // Writes the reply above what the editor opened with, as a person typing at the top would.
      writeFileSync(
        editor,
        `#!/bin/sh\ncp "$1" ${quote(seen)}\n{ printf 'Thanks for all the words.\\n'; cat "$1"; } > "$1.new" && mv "$1.new" "$1"\n`,
      );
      chmodSync(editor, 0o755);
      const env = [
        ['TERMPRESS_CONFIG_DIR', sb.home],
        ['HOME', sb.home],
        ['TERMPRESS_BLOG', blog],
        ['TERMPRESS_NOW', minute(10)],
        ['EDITOR', editor],
      ]
        .map(([k, v]) => `${k}=${quote(v!)}`)
        .join(' ');
      const socket = `termpress-keys-${process.pid}`;
      const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
      const command = `env -u CI -u VISUAL -u NO_COLOR ${env} ${quote(process.execPath)} ${quote(BIN)} moderate; sleep 30`;
      expect(tmux('new-session', '-d', '-x', '60', '-y', '50', '-s', 'keys', command).status).toBe(0);
      const pane = () => tmux('capture-pane', '-p', '-t', 'keys').stdout;
      const waitFor = async (text: string) => {
        const deadline = Date.now() + 15_000;
        for (;;) {
          const screen = pane();
          if (screen.includes(text)) return screen;
          if (Date.now() > deadline) throw new Error(`Timed out waiting for ${JSON.stringify(text)}; the screen shows:\n${screen}`);
          await sleep(100);
        }
      };
      try {
        let screen = await waitFor('Action?');
        const lines = screen.split('\n');
        // Every word is whole on one line of the screen: none was cut by the terminal's own wrapping.
        for (const word of words) expect(lines.some((line) => line.split(/\s+/).includes(word))).toBe(true);
        expect(screen).toContain('  Second line.');

        tmux('send-keys', '-t', 'keys', 'x');
        screen = await waitFor('Unknown key "x": press ? to see the keys.');
        tmux('send-keys', '-t', 'keys', '?');
        screen = await waitFor('this list');
        expect(screen).toMatch(/a {2}approve +show the comment on the site/);
        expect(screen).toMatch(/q {2}quit +stop here; the rest stay pending/);
        expect(statusOf().find((c) => c.id === long)?.status).toBe('pending');

        tmux('send-keys', '-t', 'keys', 'r');
        await waitFor('Moderation done:');
      } finally {
        tmux('kill-server');
      }
      const opened = readFileSync(seen, 'utf8');
      expect(opened).toMatch(/^\n# -{24} >8 -{24}\n# Write your reply above the line of dashes/);
      expect(opened).toContain('# Grace <grace@example.com> wrote on "Hello world", ');
      expect(opened).toContain(`# > ${words.join(' ')}\n# > Second line.\n`);
      const reply = statusOf().find((c) => c.parentId === long);
      expect(reply).toMatchObject({ status: 'approved', body: 'Thanks for all the words.' });
    },
  );
});
