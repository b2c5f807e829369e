// Hexo as a reference for the benchmark, when its package is installed in the benchmark cache:
//   npm install --prefix "$TMPDIR/termpress-bench-cache/hexo-tool" hexo
// A Hexo site holding the same posts as a generated blog is written next to it.
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CACHE, markdownOf, postOf } from './blogs.mjs';

/** The folder where hexo is installed, or null when it is not. */
export function hexoTool() {
  const tool = path.join(CACHE, 'hexo-tool');
  return existsSync(path.join(tool, 'node_modules', 'hexo-cli', 'bin', 'hexo')) && existsSync(path.join(tool, 'node_modules', 'hexo'))
    ? tool
    : null;
}

/** A Hexo site (cached) with the posts of a generated blog, in Hexo's own Markdown with front matter. */
export function hexoSite(spec, tool) {
  const root = path.join(CACHE, `hexo-p${spec.posts}-w${spec.words}-v1`);
  if (existsSync(path.join(root, 'done'))) return root;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(path.join(root, 'source', '_posts'), { recursive: true });
  symlinkSync(path.join(tool, 'node_modules'), path.join(root, 'node_modules'));
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'bench', private: true, hexo: { version: '7.3.0' }, dependencies: { hexo: '^7.3.0' } }),
  );
  writeFileSync(
    path.join(root, '_config.yml'),
    'title: Bench\nurl: https://bench.example\npermalink: :year/:month/:day/:title/\ntheme: none\n',
  );
  for (let n = 0; n < spec.posts; n++) {
    const post = postOf(n, spec);
    writeFileSync(path.join(root, 'source', '_posts', `${post.slug}.md`), markdownOf(post));
  }
  writeFileSync(path.join(root, 'done'), '');
  return root;
}
