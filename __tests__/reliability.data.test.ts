import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sandbox } from './helpers/cli.js';

// Bad data on disk, the way a bad merge, a hand edit, a crash or a newer termpress leaves it. Each
// case: every command that touches the file fails with exit 5 naming the file and the field, nothing
// is written over it, `doctor` reports it, and `doctor --fix` repairs only what needs no guessing,
// after a backup.

let sb: Sandbox;
let blog: string;
let postId: string;
let otherId: string;
let commentId: string;
let pristine: Map<string, Buffer>;

const postFile = (id: string) => path.join(blog, 'posts', `${id}.json`);

function files(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else out.set(path.relative(blog, file), readFileSync(file));
    }
  };
  walk(blog);
  return out;
}

/** Hashes of the blog's data files (settings and posts), the ones that must never be overwritten. */
function dataHashes(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rel, bytes] of files()) {
    if (rel.startsWith('.termpress')) continue;
    out[rel] = createHash('sha256').update(bytes).digest('hex');
  }
  return out;
}

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

beforeAll(() => {
  sb = new Sandbox();
  blog = sb.initBlog('--title', 'Data');
  postId = sb.ok(['post', 'create', '--title', 'Target', '--body', 'Body', '--status', 'published', '--porcelain']).trim();
  otherId = sb.ok(['post', 'create', '--title', 'Bystander', '--porcelain']).trim();
  commentId = sb
    .ok(['comment', 'add', postId, '--author', 'Ann', '--email', 'ann@example.com', '--body', 'Hi', '--approve', '--porcelain'])
    .trim();
  pristine = files();
});
afterAll(() => sb.cleanup());

/** Puts the blog back as it was after setup. */
function restore(): void {
  const current = files();
  for (const rel of current.keys()) if (!pristine.has(rel)) spawnSync('rm', ['-rf', path.join(blog, rel)]);
  for (const [rel, bytes] of pristine) {
    mkdirSync(path.dirname(path.join(blog, rel)), { recursive: true });
    writeFileSync(path.join(blog, rel), bytes);
  }
  spawnSync('rm', ['-rf', path.join(blog, '.termpress', 'backups'), path.join(blog, '.termpress', 'index.json')]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a hand edit of any field, as a person would make one
function editJson(file: string, change: (value: Record<string, any>) => void): void {
  const value = JSON.parse(readFileSync(file, 'utf8'));
  change(value);
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

const damage: Array<[string, () => void, RegExp]> = [
  [
    'truncated JSON',
    () => writeFileSync(postFile(postId), readFileSync(postFile(postId), 'utf8').slice(0, 150)),
    /posts\/(\w{8})\.json is not valid JSON \(.+\); fix it by hand or restore it from git, then run termpress doctor/,
  ],
  [
    'a field of the wrong type',
    () =>
      editJson(postFile(postId), (p) => {
        p.revision = '3';
      }),
    /posts\/\w{8}\.json is not a valid post: field "revision": Invalid input: expected number, received string/,
  ],
  [
    'an unknown status',
    () =>
      editJson(postFile(postId), (p) => {
        p.status = 'zombie';
      }),
    /posts\/\w{8}\.json is not a valid post: field "status": Invalid option: expected one of "draft"\|"pending"\|"scheduled"\|"published"\|"trash"/,
  ],
  [
    'a comment with a bad field',
    () =>
      editJson(postFile(postId), (p) => {
        p.comments[0].status = 'maybe';
      }),
    /posts\/\w{8}\.json is not a valid post: field "comments\.0\.status \(comment \w{8}\)": Invalid option/,
  ],
  [
    'a missing required field',
    () =>
      editJson(postFile(postId), (p) => {
        delete p.slug;
      }),
    /posts\/\w{8}\.json is not a valid post: field "slug": Invalid input: expected string, received undefined/,
  ],
];

describe.each(damage)('a post file with %s', (_name, breakIt, message) => {
  beforeAll(() => {
    restore();
    breakIt();
  });

  test.each([
    ['post list', () => ['post', 'list']],
    ['post show', () => ['post', 'show', postId]],
    ['post edit', () => ['post', 'edit', postId, '--title', 'Overwritten?']],
    ['post publish', () => ['post', 'publish', postId, '--at', '2026-01-01']],
    ['post trash', () => ['post', 'trash', postId]],
    ['comment add', () => ['comment', 'add', postId, '--author', 'Bob', '--email', 'b@example.com', '--body', 'Hello', '--approve']],
    ['comment approve', () => ['comment', 'approve', commentId]],
  ])('%s exits 5 naming the file and the field, and writes nothing', (_cmd, args) => {
    const before = dataHashes();
    const result = sb.run(args());
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(`posts/${postId}.json`);
    expect(dataHashes()).toEqual(before);
  });

  test('the other posts can still be shown and changed by their ids', () => {
    expect(sb.run(['post', 'show', otherId]).code).toBe(0);
    sb.ok(['post', 'edit', otherId, '--excerpt', 'Still editable']);
  });

  test('doctor reports it (exit 5); doctor --fix repairs nothing in it and says it needs a person', () => {
    const before = dataHashes();
    const report = sb.run(['doctor']);
    expect(report.code).toBe(5);
    expect(report.stdout).toMatch(new RegExp(`problem: \\S*posts/${postId}\\.json: ${message.source.replace(/^posts.*?json /, '')}`));
    const fixed = sb.run(['doctor', '--fix']);
    expect(fixed.code).toBe(5);
    expect(fixed.stdout).toMatch(new RegExp(`problem: .*posts/${postId}\\.json`));
    expect(dataHashes()).toEqual(before);
  });
});

describe('two post files with the same id', () => {
  const twin = 'zzzzzzzz';
  beforeAll(() => {
    restore();
    writeFileSync(postFile(twin), readFileSync(postFile(postId)));
  });

  test('commands that read the copy exit 5 naming it and the field "id"; nothing is written', () => {
    const before = dataHashes();
    for (const args of [
      ['post', 'list'],
      ['post', 'show', twin],
      ['post', 'edit', twin, '--title', 'x'],
    ]) {
      const result = sb.run(args);
      expect(result.code).toBe(5);
      expect(result.stderr).toContain(`posts/${twin}.json holds post id "${postId}", not "${twin}": rename the file or fix the field "id"`);
    }
    expect(dataHashes()).toEqual(before);
  });

  test('doctor names both files as duplicates, and --fix leaves them to a person', () => {
    const before = dataHashes();
    const report = sb.run(['doctor']);
    expect(report.code).toBe(5);
    expect(report.stdout).toContain(`posts/${twin}.json: holds post id "${postId}" but is named ${twin}.json, the id of`);
    expect(report.stdout).toContain(`posts/${postId}.json too (a duplicate`);
    expect(sb.run(['doctor', '--fix']).code).toBe(5);
    expect(dataHashes()).toEqual(before);
  });
});

describe('a reply whose parent is missing', () => {
  let orphan: string;
  beforeAll(() => {
    restore();
    orphan = sb
      .ok([
        'comment',
        'add',
        postId,
        '--author',
        'Bo',
        '--email',
        'bo@example.com',
        '--body',
        'A reply',
        '--parent',
        commentId,
        '--approve',
        '--porcelain',
      ])
      .trim();
    editJson(postFile(postId), (p) => {
      p.comments = p.comments.filter((c: { id: string }) => c.id !== commentId);
    });
  });

  test('the post still reads; doctor reports the orphan; --fix makes it top-level after a backup', () => {
    expect(sb.run(['post', 'show', postId]).code).toBe(0);
    const original = readFileSync(postFile(postId), 'utf8');
    const report = sb.run(['doctor']);
    expect(report.code).toBe(5);
    expect(report.stdout).toContain(
      `comment ${orphan} replies to comment ${commentId}, which does not exist (termpress doctor --fix will make it a top-level comment)`,
    );
    const fixed = sb.run(['doctor', '--fix']);
    expect(fixed.code).toBe(0);
    const backup = /Backup before repairs: (.+)/.exec(fixed.stdout)![1]!;
    expect(readFileSync(path.join(backup, 'posts', `${postId}.json`), 'utf8')).toBe(original);
    const post = JSON.parse(readFileSync(postFile(postId), 'utf8'));
    expect(post.comments).toEqual([expect.objectContaining({ id: orphan, parentId: null, body: 'A reply' })]);
    expect(post.revision).toBe(JSON.parse(original).revision + 1);
    expect(sb.run(['doctor'])).toMatchObject({ code: 0 });
  });
});

describe('replies whose parents loop: a comment replying to itself, two replying to each other', () => {
  let self: string;
  let first: string;
  let second: string;
  let child: string;
  beforeAll(() => {
    restore();
    const add = (body: string, parent?: string) =>
      sb
        .ok([
          'comment',
          'add',
          postId,
          '--author',
          'Bo',
          '--email',
          'bo@example.com',
          '--body',
          body,
          ...(parent ? ['--parent', parent] : []),
          '--approve',
          '--porcelain',
        ])
        .trim();
    first = add('First of the loop', commentId);
    second = add('Second of the loop', first);
    child = add('A reply into the loop', second);
    self = add('Replies to itself');
    // A bad merge or a hand edit: the first now answers the second, and the last answers itself.
    editJson(postFile(postId), (p) => {
      for (const c of p.comments) {
        if (c.id === first) c.parentId = second;
        if (c.id === self) c.parentId = self;
      }
    });
  });

  test('post show still shows every comment once; doctor names the ids; --fix breaks each loop at its oldest comment', () => {
    const shown = sb.run(['post', 'show', postId]);
    expect(shown.code).toBe(0);
    for (const body of ['Hi', 'First of the loop', 'Second of the loop', 'A reply into the loop', 'Replies to itself']) {
      expect(shown.stdout.split(body).length - 1).toBe(1);
    }
    // The reply into the loop comes after the comment it answers.
    expect(shown.stdout.indexOf('A reply into the loop')).toBeGreaterThan(shown.stdout.indexOf('Second of the loop'));

    const report = sb.run(['doctor']);
    expect(report.code).toBe(5);
    expect(report.stdout).toContain(
      `comment ${self} replies to itself (termpress doctor --fix will make comment ${self} a top-level comment)`,
    );
    expect(report.stdout).toContain(
      `comments ${first}, ${second} reply to one another in a loop (${first} -> ${second} -> ${first}, each a reply to the next) (termpress doctor --fix will make comment ${first} a top-level comment)`,
    );
    const json = JSON.parse(sb.run(['doctor', '--format', 'json']).stdout) as { findings: Array<{ problem: string }> };
    expect(json.findings.map((f) => f.problem)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`comment ${self} replies to itself`),
        expect.stringContaining(`comments ${first}, ${second}`),
      ]),
    );

    const fixed = sb.run(['doctor', '--fix']);
    expect(fixed.code).toBe(0);
    const post = JSON.parse(readFileSync(postFile(postId), 'utf8'));
    const parentOf = Object.fromEntries(post.comments.map((c: { id: string; parentId: string | null }) => [c.id, c.parentId]));
    expect(parentOf).toEqual({ [commentId]: null, [first]: null, [second]: first, [child]: second, [self]: null });
    expect(sb.run(['doctor'])).toMatchObject({ code: 0 });
  });
});

describe('settings from a newer termpress', () => {
  beforeAll(() => {
    restore();
    editJson(path.join(blog, 'termpress.json'), (s) => {
      s.schemaVersion = 99;
    });
    // Damage doctor --fix would otherwise repair: it must leave even that alone.
    writeFileSync(`${postFile(postId)}.123456`, '{"half');
  });

  test('every command refuses with exit 5 and the reason; nothing is written, not even by doctor --fix', () => {
    const before = dataHashes();
    for (const args of [
      ['post', 'list'],
      ['post', 'create', '--title', 'New'],
      ['comment', 'add', postId, '--body', 'x', '--approve'],
      ['post', 'edit', postId, '--title', 'y'],
    ]) {
      const result = sb.run(args);
      expect(result.code).toBe(5);
      expect(result.stderr).toContain(
        'termpress.json has schemaVersion 99, newer than this termpress knows (1): upgrade termpress to use this blog.',
      );
    }
    const fixed = sb.run(['doctor', '--fix']);
    expect(fixed.code).toBe(5);
    expect(fixed.stdout).toContain('schemaVersion 99, newer than this termpress knows');
    expect(fixed.stdout).toContain('repairs nothing in this blog');
    expect(fixed.stdout).not.toContain('Backup before repairs');
    expect(dataHashes()).toEqual(before);
    expect(existsSync(path.join(blog, '.termpress', 'backups'))).toBe(false);
  });
});

describe('truncated settings', () => {
  beforeAll(() => {
    restore();
    writeFileSync(path.join(blog, 'termpress.json'), '{"schemaVersion": 1, "title": "Da');
  });

  test('exit 5 naming termpress.json; nothing written', () => {
    const before = dataHashes();
    for (const args of [
      ['post', 'list'],
      ['post', 'create', '--title', 'New'],
      ['config', 'set', 'title', 'Fixed?'],
    ]) {
      const result = sb.run(args);
      expect(result.code).toBe(5);
      expect(result.stderr).toMatch(/termpress\.json is not valid JSON/);
    }
    expect(sb.run(['doctor']).stdout).toMatch(/problem: .*termpress\.json: .*termpress\.json is not valid JSON/);
    expect(dataHashes()).toEqual(before);
  });
});

describe('lock leftovers of a process killed while taking the lock', () => {
  test('the next write removes them, so doctor finds nothing without --fix', () => {
    restore();
    const priv = path.join(blog, '.termpress');
    const dead = deadPid();
    writeFileSync(path.join(priv, `lock.${dead}-k6i60sv0.tmp`), '{}');
    writeFileSync(
      path.join(priv, 'lock.takeover-gone-2'),
      JSON.stringify({ pid: dead, host: os.hostname(), token: 'g2', since: new Date().toISOString() }),
    );
    expect(sb.run(['doctor']).stderr).toMatch(/note: blog\/\.termpress\/lock\.\d+-k6i60sv0\.tmp: leftover lock file of process \d+/);
    sb.ok(['post', 'edit', postId, '--title', 'Swept']);
    expect(readdirSync(priv).filter((name) => name.startsWith('lock'))).toEqual([]);
    const doctor = sb.run(['doctor']);
    expect(doctor).toMatchObject({ code: 0, stdout: '' });
    expect(doctor.stderr).not.toContain('note:');
  });
});

describe('leftovers of crashed processes', () => {
  beforeAll(() => {
    restore();
    const priv = path.join(blog, '.termpress');
    const dead = deadPid();
    writeFileSync(`${postFile(postId)}.3141592653`, readFileSync(postFile(postId), 'utf8').slice(0, 40));
    writeFileSync(path.join(blog, 'termpress.json.2718281828'), '{');
    writeFileSync(path.join(priv, 'index.json.1234'), '');
    writeFileSync(path.join(priv, `lock.${dead}-abc123.tmp`), '{}');
    const holder = (token: string) => JSON.stringify({ pid: dead, host: os.hostname(), token, since: new Date().toISOString() });
    writeFileSync(path.join(priv, 'lock.takeover-gone-1'), holder('g1'));
    writeFileSync(path.join(priv, 'lock'), holder(`${dead}-deadlock`));
  });

  test('listings ignore them; doctor notes each as harmless (exit 0); --fix removes them after a backup; the next write takes the lock at once', () => {
    expect(sb.run(['post', 'list', '--format', 'count'])).toMatchObject({ code: 0, stdout: '2\n' });
    const report = sb.run(['doctor']);
    // Nothing is damaged: the writes they belonged to were never acknowledged. So a scheduled doctor stays quiet.
    expect(report).toMatchObject({ code: 0, stdout: '' });
    for (const name of [`posts/${postId}.json.3141592653`, 'termpress.json.2718281828', '.termpress/index.json.1234']) {
      expect(report.stderr).toContain(
        `note: blog/${name}: leftover temporary file from an interrupted write (termpress doctor --fix will remove it)`,
      );
    }
    expect(report.stderr).toMatch(
      /note: blog\/\.termpress\/lock\.\d+-abc123\.tmp: leftover lock file of process \d+, which is no longer running/,
    );
    expect(report.stderr).toMatch(/note: blog\/\.termpress\/lock\.takeover-gone-1: leftover lock takeover file of process \d+/);
    expect(report.stderr).toContain('No problems found.');
    expect(JSON.parse(sb.ok(['doctor', '--json'])).findings.every((f: { debris?: boolean }) => f.debris === true)).toBe(true);
    const before = dataHashes();
    const fixed = sb.run(['doctor', '--fix']);
    expect(fixed.code).toBe(0);
    const backup = /Backup before repairs: (.+)/.exec(fixed.stdout)![1]!;
    expect(existsSync(path.join(backup, 'posts', `${postId}.json`))).toBe(true);
    const after = dataHashes();
    expect(Object.keys(after).sort()).toEqual(
      Object.keys(before)
        .filter((f) => !/\.\d+$/.test(f))
        .sort(),
    );
    for (const [file, hash] of Object.entries(after)) expect(hash).toBe(before[file]);
    expect(readdirSync(path.join(blog, '.termpress')).sort()).toEqual(['.gitignore', 'backups', 'comments.json', 'index.json']);
    expect(sb.run(['doctor'])).toMatchObject({ code: 0 });
  });
});
