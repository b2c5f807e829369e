/** `termpress build` and `termpress serve`: their options; each action is loaded when it runs. */
import { Command } from '@commander-js/extra-typings';
import type { Cli } from '../context.js';
import { collectList, parseCount, withShowFormat } from '../options.js';
import type { OptionsOf } from '../options.js';

/** `termpress build`: the static website with its feeds. */
export function buildCommand(cli: Cli) {
  return declareBuild().action(async (opts) => (await import('../actions/build.js')).build(cli, opts));
}

/** `termpress serve`: builds, then serves the site and takes readers' comments and likes until stopped. */
export function serveCommand(cli: Cli) {
  return declareServe().action(async (opts) => (await import('../actions/serve.js')).serve(cli, opts));
}

function withBuildOptions(command: Command) {
  return command
    .option('--out <dir>', 'the folder to write the site into')
    .option('--drafts', 'also show drafts, pending and future posts, marked as such (a preview)')
    .option('--clean', 'render every page afresh instead of only what changed')
    .option(
      '--trust-theme',
      "run the blog's own theme templates (templates/theme/*.eta, which are JavaScript) as they are now, and trust them on this machine until they change",
    );
}

function declareBuild() {
  const command = withBuildOptions(new Command('build')).description(
    'write the blog as a static website with RSS, Atom and JSON feeds (default: into public/)',
  );
  return withShowFormat(command);
}
export type BuildOptions = OptionsOf<ReturnType<typeof declareBuild>>;

function declareServe() {
  return withBuildOptions(new Command('serve'))
    .description('build the site, then serve it (by default at http://127.0.0.1:4000/) until Ctrl-C or SIGTERM')
    .option('--port <n>', 'the port to listen on (0: any free port)', parseCount('--port'), 4000)
    .option('--host <address>', 'the address to listen on; 0.0.0.0 for every interface', '127.0.0.1')
    .option('--allow-host <name>', 'also answer requests for this host name, as name or name:port (repeatable)', collectList)
    .option(
      '--trust-proxy [proxies]',
      "behind a reverse proxy: read the client address from X-Forwarded-For (bare: one proxy; or a hop count, or the proxies' addresses)",
    )
    .option(
      '--sync <interval>',
      'share the blog through git: termpress sync now and then every interval (e.g. 60s, 5m), rebuilding what it brings',
    );
}
export type ServeOptions = OptionsOf<ReturnType<typeof declareServe>>;
