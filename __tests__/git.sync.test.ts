import { lstatSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Sandbox } from './helpers/cli.js';
import { GitWorld, Machine } from './helpers/git.js';
import { rawRequest, startServe } from './helpers/serve.js';

// Several people on several machines share a blog through a real git remote (git init --bare) and
// termpress sync; every scenario runs the built binary and real git commands.

let world: GitWorld;
afterEach(() => world?.cleanup());

/** The first machine: a new blog with one published post holding two readers' pending comments, pushed. */
function startBlog(): { a: Machine; id: string; first: string; second: string } {
  world = new GitWorld();
  const a = world.machine('laptop');
  a.ok(['init', a.dir, '--title', 'Shared']);
  a.ok(['git', 'setup']);
  a.git(['remote', 'add', 'origin', world.remote]);
  const id = a
    .ok(['post', 'create', '--title', 'Hello', '--body', 'first line\nsecond line\nthird line\n', '--tag', 'intro,old', '--porcelain'])
    .trim();
  a.ok(['post', 'publish', id]);
  const first = a.ok(['comment', 'add', id, '--author', 'Grace', '--email', 'grace@example.com', '--body', 'First!', '--porcelain']).trim();
  const second = a.ok(['comment', 'add', id, '--author', 'Alan', '--email', 'alan@example.com', '--body', 'Second', '--porcelain']).trim();
  const sync = a.run(['sync']);
  expect(sync.stderr).toMatch(/^Synced with origin\/main: committed this blog's changes \(\w+\), sent 1 commit\.$/m);
  expect(sync.stdout).toBe('');
  expect(sync.code).toBe(0);
  return { a, id, first, second };
}

function expectClean(machine: Machine): void {
  expect(machine.git(['status', '--porcelain'])).toBe('');
  const doctor = machine.run(['doctor']);
  expect(doctor.stderr).toMatch(/No problems found/);
  expect(doctor.stdout).toBe('');
  expect(doctor.code).toBe(0);
}

describe('an author and a moderator on two machines', () => {
  it.each([
    ['the author syncs first', ['author', 'moderator', 'author']],
    ['the moderator syncs first', ['moderator', 'author', 'moderator']],
  ])('lose nothing when %s', (_name, order) => {
    const { a, id, first, second } = startBlog();
    const b = world.clone('server');
    // The author edits the body and the tags on the laptop...
    a.ok(['post', 'edit', id, '--body', 'first line\nsecond line, rewritten\nthird line\n']);
    a.ok(['post', 'edit', id, '--add-tag', 'fresh', '--remove-tag', 'old']);
    // ...while on the server the moderator approves one comment, spams the other, and a reader comments.
    b.ok(['comment', 'approve', first]);
    b.ok(['comment', 'spam', second]);
    const third = b
      .ok(['comment', 'add', id, '--author', 'Ada', '--email', 'ada@example.com', '--body', 'Late to the party', '--porcelain'])
      .trim();
    const machines = { author: a, moderator: b };
    for (const who of order) {
      const sync = machines[who as keyof typeof machines].run(['sync']);
      expect(sync.stderr).not.toMatch(/conflict/i);
      expect(sync.code).toBe(0);
    }
    // The one who synced first has not seen the other's changes yet.
    machines[order[1] as keyof typeof machines].ok(['sync']);

    for (const machine of [a, b]) {
      const post = machine.post(id);
      expect(post.body).toBe('first line\nsecond line, rewritten\nthird line\n');
      expect(post.tags).toEqual(['intro', 'fresh']);
      expect(post.comments.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
        [first, 'approved'],
        [second, 'spam'],
        [third, 'pending'],
      ]);
      expect(post.conflicts).toBeUndefined();
      expectClean(machine);
    }
    const file = path.join('posts', `${id}.json`);
    expect(readFileSync(path.join(a.dir, file), 'utf8')).toBe(readFileSync(path.join(b.dir, file), 'utf8'));
    expect(readFileSync(path.join(a.dir, file), 'utf8')).not.toMatch(/^(<<<<<<<|>>>>>>>)/m);
  });
});

describe('a true conflict', () => {
  it('is reported, keeps the JSON valid, is named by post show and doctor, and post resolve ends it everywhere', () => {
    const { a, id } = startBlog();
    const b = world.clone('second-author');
    a.ok(['post', 'edit', id, '--title', 'Hello from the laptop']);
    b.ok(['post', 'edit', id, '--title', 'Hello from the desk']);
    a.ok(['sync']);
    const sync = b.run(['sync']);
    expect(sync.code).toBe(4);
    expect(sync.stderr).toMatch(
      /^Synced with origin\/main: committed this blog's changes \(\w+\), received 1 commit \(1 file changed\), sent 2 commits\.$/m,
    );
    expect(sync.stderr).toContain(`conflict in post ${id} "Hello from the desk": title changed on both sides`);
    expect(sync.stderr).toContain(`termpress post resolve ${id} --ours (or --theirs, or --edit)`);
    expect(sync.stderr).toMatch(/error: 1 file changed on both sides/);

    const text = readFileSync(path.join(b.dir, 'posts', `${id}.json`), 'utf8');
    const stored = JSON.parse(text) as Record<string, unknown>;
    expect(stored.title).toBe('Hello from the desk');
    expect(stored.conflicts).toEqual([{ field: 'title', theirs: { title: 'Hello from the laptop' }, base: { title: 'Hello' } }]);
    expect(b.git(['status', '--porcelain'])).toBe('');

    // The conflict travels with the post: the laptop sees it too.
    a.ok(['sync']);
    for (const machine of [a, b]) {
      const show = machine.run(['post', 'show', id]);
      expect(show.stderr).toContain(
        `Merge conflict in title: this side "Hello from the desk", the other side "Hello from the laptop" (termpress post resolve ${id})`,
      );
      const doctor = machine.run(['doctor']);
      expect(doctor.code).toBe(5);
      expect(doctor.stdout).toContain(
        `unresolved merge conflict in title: see termpress post show ${id}, then termpress post resolve ${id}`,
      );
    }

    const noSide = a.run(['post', 'resolve', id]);
    expect(noSide.code).toBe(2);
    expect(noSide.stderr).toMatch(/pass --ours, --theirs or --edit/);
    expect(a.ok(['post', 'resolve', id, '--theirs'])).toBe(`Resolved post ${id}: title (the other side's)\n`);
    expect(a.post(id).title).toBe('Hello from the laptop');
    a.ok(['sync']);
    b.ok(['sync']);
    for (const machine of [a, b]) {
      expect(machine.post(id)).toMatchObject({ title: 'Hello from the laptop' });
      expect(machine.post(id).conflicts).toBeUndefined();
      expectClean(machine);
    }
  });

  it('in the settings is recorded the same way and config resolve ends it', () => {
    const { a } = startBlog();
    const b = world.clone('other');
    a.ok(['config', 'set', 'moderation.maxLinks', '3']);
    a.ok(['config', 'set', 'title', 'Shared notes']);
    b.ok(['config', 'set', 'moderation.maxLinks', '5']);
    b.ok(['config', 'set', 'moderation.holdWords', 'casino']);
    a.ok(['sync']);
    const sync = b.run(['sync']);
    expect(sync.code).toBe(4);
    expect(sync.stderr).toContain('conflict in termpress.json: moderation.maxLinks changed on both sides');
    expect(b.ok(['config', 'get', 'title'])).toBe('Shared notes\n');
    expect(b.ok(['config', 'get', 'moderation.holdWords'])).toBe('["casino"]\n');
    expect(b.run(['doctor']).stdout).toContain('unresolved merge conflict in moderation.maxLinks: end it with termpress config resolve');
    expect(b.ok(['config', 'resolve', '--theirs'])).toBe("Resolved the settings: moderation.maxLinks (the other side's)\n");
    expect(b.ok(['config', 'get', 'moderation.maxLinks'])).toBe('3\n');
    b.ok(['sync']);
    expectClean(b);
  });
});

describe('the category tree, tags and media records merge by identity', () => {
  it('keeps the categories, tags and media both machines added; a name changed on both sides ends the same on both, and is noted', () => {
    const { a } = startBlog();
    a.ok(['category', 'create', 'News', '--description', 'What happened']);
    a.ok(['sync']);
    const b = world.clone('desk');
    a.ok(['category', 'create', 'Sports', '--parent', 'news']);
    a.ok(['category', 'rename', 'news', 'World news']);
    writeFileSync(path.join(a.dir, '..', 'laptop.png'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    a.ok(['media', 'add', path.join(a.dir, '..', 'laptop.png')]);
    b.ok(['category', 'create', 'Travel']);
    b.ok(['category', 'rename', 'news', 'Local news']);
    writeFileSync(path.join(b.dir, '..', 'desk.png'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    b.ok(['media', 'add', path.join(b.dir, '..', 'desk.png')]);
    a.ok(['sync']);
    const sync = b.run(['sync']);
    expect(sync.code).toBe(0);
    expect(sync.stderr).toMatch(
      /taxonomy\.json: category news: name changed on both sides \("Local news" and "World news"\); kept "(Local|World) news"/,
    );
    a.ok(['sync']);
    const categories = (m: Machine) =>
      JSON.parse(m.ok(['category', 'list', '--json'])).map(
        (c: { slug: string; name: string; parent: string | null; description: string }) => [c.slug, c.name, c.parent, c.description],
      );
    expect(categories(a)).toEqual(categories(b));
    expect(categories(b)).toEqual(
      expect.arrayContaining([
        ['news', expect.stringMatching(/^(Local|World) news$/), null, 'What happened'],
        ['sports', 'Sports', 'news', ''],
        ['travel', 'Travel', null, ''],
      ]),
    );
    const media = (m: Machine) =>
      JSON.parse(m.ok(['media', 'list', '--json']))
        .map((r: { file: string }) => r.file)
        .sort();
    expect(media(b)).toHaveLength(2);
    expect(media(a)).toEqual(media(b));
    for (const machine of [a, b]) expectClean(machine);
  });
});

describe('git merge by hand', () => {
  it("uses termpress's merge driver once set up: the file stays valid JSON and git reports the conflict", () => {
    const { a, id, first } = startBlog();
    const b = world.clone('desk');
    a.ok(['post', 'edit', id, '--title', 'Laptop title']);
    a.ok(['comment', 'approve', first]);
    a.git(['commit', '--quiet', '-am', 'laptop']);
    a.git(['push', '--quiet', 'origin', 'main']);
    b.ok(['post', 'edit', id, '--title', 'Desk title', '--add-tag', 'desk']);
    b.git(['commit', '--quiet', '-am', 'desk']);
    const pull = b.run(['doctor']);
    expect(pull.code).toBe(0);
    let failed = false;
    try {
      b.git(['pull', '--quiet', '--no-rebase', 'origin', 'main']);
    } catch (error) {
      failed = true;
      expect(String(error)).toContain(`posts/${id}.json: title changed on both sides`);
    }
    expect(failed).toBe(true);
    expect(b.git(['status', '--porcelain'])).toBe(`UU posts/${id}.json\n`);
    const post = b.post(id);
    expect(post).toMatchObject({
      title: 'Desk title',
      tags: ['intro', 'old', 'desk'],
      conflicts: [{ field: 'title', theirs: { title: 'Laptop title' } }],
    });
    expect(post.comments.find((c: { id: string }) => c.id === first).status).toBe('approved');
    b.ok(['post', 'resolve', id, '--ours']);
    b.git(['add', 'posts']);
    b.git(['commit', '--quiet', '--no-edit']);
    expectClean(b);
  });

  it('the driver validates all three versions and writes only the file git gives it, never through a link', () => {
    const { a, id } = startBlog();
    const file = readFileSync(path.join(a.dir, 'posts', `${id}.json`), 'utf8');
    const scratch = path.join(world.root, 'merge');
    a.git(['init', '--quiet', scratch]);
    const put = (name: string, text: string) => writeFileSync(path.join(scratch, name), text);
    put('base', file);
    put('theirs', file.replace('"title": "Hello"', '"title": "Theirs"'));
    put('ours', file.replace('"status": "published"', '"status": "bogus"'));
    const before = readFileSync(path.join(scratch, 'ours'), 'utf8');
    // Run from the scratch folder, as git runs a driver: relative names are the folder's.
    const run = (args: string[]) => a.run(args, { cwd: scratch });
    const invalid = run(['merge-file', 'base', 'ours', 'theirs', `posts/${id}.json`]);
    expect(invalid.code).toBe(5);
    expect(invalid.stderr).toMatch(new RegExp(`posts/${id}\\.json \\(this side\\) is not a valid post: field "status"`));
    expect(readFileSync(path.join(scratch, 'ours'), 'utf8')).toBe(before);

    put('ours', file.replace('second line', 'second line, ours'));
    const listing = readdirSync(scratch).sort();
    const merged = run(['merge-file', 'base', 'ours', 'theirs', `posts/${id}.json`]);
    expect(merged.code).toBe(0);
    expect(readdirSync(scratch).sort()).toEqual(listing);
    expect(JSON.parse(readFileSync(path.join(scratch, 'ours'), 'utf8'))).toMatchObject({
      title: 'Theirs',
      body: 'first line\nsecond line, ours\nthird line\n',
    });

    const outside = path.join(world.root, 'outside.json');
    writeFileSync(outside, 'not yours\n');
    symlinkSync(outside, path.join(scratch, 'linked'));
    const linked = run(['merge-file', 'base', 'linked', 'theirs', `posts/${id}.json`]);
    expect(linked.code).toBe(5);
    expect(linked.stderr).toMatch(/is a symbolic link, which termpress does not follow/);
    expect(readFileSync(outside, 'utf8')).toBe('not yours\n');
    expect(lstatSync(path.join(scratch, 'linked')).isSymbolicLink()).toBe(true);
  });
});

describe('set-up and messages', () => {
  it('termpress git setup writes the ignore and attributes files, registers the driver, and is idempotent', () => {
    world = new GitWorld();
    const a = world.machine('fresh');
    a.ok(['init', a.dir]);
    expect(readFileSync(path.join(a.dir, '.gitignore'), 'utf8')).toMatch(/^\/\.termpress\/\n\/public\/$/m);
    expect(readFileSync(path.join(a.dir, '.gitattributes'), 'utf8')).toMatch(
      /^\/termpress\.json merge=termpress\n\/posts\/\*\.json merge=termpress\n\/likes\/\*\.json merge=termpress\n\/taxonomy\.json merge=termpress\n\/media\.json merge=termpress$/m,
    );
    const setup = a.run(['git', 'setup']);
    expect(setup.code).toBe(0);
    expect(setup.stdout).toMatch(/^Created a git repository in /m);
    expect(setup.stdout).toMatch(/^Registered the merge driver in .*\.git\/config: '.+' '.+termpress\.js' merge-file %O %A %B %P$/m);
    expect(a.git(['config', '--get', 'merge.termpress.driver'])).toMatch(/merge-file %O %A %B %P/);
    expect(a.ok(['git', 'setup'])).toBe('Already set up: nothing to change.\n');
    a.git(['add', '-A']);
    expect(a.git(['status', '--porcelain'])).not.toMatch(/\.termpress|public/);
  });

  it('doctor names a blog under git without the merge driver, and --fix registers it', () => {
    world = new GitWorld();
    const a = world.machine('plain');
    world.git(world.root, ['init', '--quiet', a.dir]);
    a.ok(['init', a.dir]);
    a.git(['config', '--unset', 'merge.termpress.driver']);
    const doctor = a.run(['doctor']);
    expect(doctor.code).toBe(5);
    expect(doctor.stdout).toContain(
      "the repository's configuration has no merge.termpress.driver, so git would merge posts as plain text (termpress doctor --fix will register termpress's merge driver (termpress git setup))",
    );
    expect(a.run(['doctor', '--fix']).code).toBe(0);
    expect(a.git(['config', '--get', 'merge.termpress.driver'])).toMatch(/merge-file %O %A %B %P/);
    expect(a.run(['doctor']).code).toBe(0);
  });

  it.each([
    [
      'not a repository',
      (m: Machine) => m.ok(['init', m.dir]),
      3,
      /is not in a git repository: run termpress git setup, then git remote add origin <url>/,
    ],
    [
      'no remote',
      (m: Machine) => {
        m.ok(['init', m.dir]);
        m.ok(['git', 'setup']);
      },
      3,
      /has no remote to sync with: git remote add origin <url>, then sync/,
    ],
    [
      'no merge driver in the attributes',
      (m: Machine) => {
        m.ok(['init', m.dir]);
        m.ok(['git', 'setup']);
        writeFileSync(path.join(m.dir, '.gitattributes'), '');
      },
      4,
      /does not send the blog's files to termpress's merge driver.*run termpress git setup/,
    ],
    [
      'a remote that cannot be reached',
      (m: Machine) => {
        m.ok(['init', m.dir]);
        m.ok(['git', 'setup']);
        m.git(['remote', 'add', 'origin', path.join(m.world.root, 'nowhere.git')]);
      },
      5,
      /Cannot reach origin to fetch .*check the remote's address \(git remote -v\)/,
    ],
  ])('sync explains %s', (_name, prepare, code, message) => {
    world = new GitWorld();
    const m = world.machine('blog');
    prepare(m);
    const result = m.run(['sync']);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(code);
  });

  it('--no-push brings changes in and sends nothing', () => {
    const { a, id } = startBlog();
    const mirror = world.clone('mirror');
    a.ok(['post', 'edit', id, '--title', 'Renamed']);
    a.ok(['sync']);
    mirror.ok(['post', 'create', '--title', 'Local only']);
    expect(mirror.run(['sync', '--no-push']).stderr).toMatch(/received 1 commit/);
    expect(mirror.post(id).title).toBe('Renamed');
    expect(world.git(world.remote, ['log', '--oneline', 'main'])).not.toMatch(
      /Local only|termpress sync: 1 post\n.*termpress sync: 1 post\n.*termpress sync: 1 post/s,
    );
    expect(world.git(world.remote, ['rev-list', '--count', 'main']).trim()).toBe('2');
  });
});

describe('a comment server that syncs', () => {
  it('serve --sync brings in posts written elsewhere, rebuilds them, and sends its own changes', async () => {
    const { a, id } = startBlog();
    const server = world.clone('server');
    const refused = server.run(['serve', '--port', '0', '--sync', '1s']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--sync takes an interval of at least 5 seconds, such as 60s, 5m or 1h, not "1s"/);

    const served = await startServe({ cwd: world.root, env: { ...world.env, TERMPRESS_BLOG: server.dir } } as unknown as Sandbox, [
      '--sync',
      '5s',
    ]);
    try {
      a.ok(['post', 'create', '--title', 'Written on the laptop', '--body', 'Hello from afar', '--status', 'published']);
      a.ok(['sync']);
      const reply = server.ok(['comment', 'reply', server.post(id).comments[0].id, '--body', 'Thanks!', '--porcelain']).trim();
      let home = '';
      for (let round = 0; round < 120 && !home.includes('Written on the laptop'); round++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        home = (await rawRequest(served.port, '/')).body;
      }
      expect(home).toContain('Written on the laptop');
      let pushed = false;
      for (let round = 0; round < 120 && !pushed; round++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        pushed = world.git(world.remote, ['log', '-p', 'main']).includes(reply);
      }
      expect(pushed).toBe(true);
    } finally {
      expect(await served.stop()).toBe(0);
    }
    expect(served.stderr()).toMatch(/Syncing the blog through git every 5s\./);
    expect(served.stderr()).toMatch(/sync with origin\/main: (committed local changes, )?received 1, sent \d commit\(s\)/);
    a.ok(['sync']);
    expect(a.post(id).comments.map((c: { body: string }) => c.body)).toContain('Thanks!');
  });
});
