/** `termpress config ...`: its commands and options; each action is loaded when it runs. */
import { Command } from '@commander-js/extra-typings';
import type { Cli } from '../context.js';
import { collectList, withShowFormat } from '../options.js';
import type { OptionsOf } from '../options.js';

/** `termpress config`: blog settings, or with --global the user's own, the way git config works. */
export function configCommand(cli: Cli) {
  const config = declareConfig();
  // --global is the group's own option, given before or after the subcommand's name.
  const where = (): ConfigOptions => config.opts();
  const settings = () => import('../actions/config.js');
  config.addCommand(declareGet().action(async (key) => (await settings()).configGet(cli, key, where())));
  config.addCommand(declareSet().action(async (key, value) => (await settings()).configSet(cli, key, value, where())));
  config.addCommand(declareUnset().action(async (key) => (await settings()).configUnset(cli, key, where())));
  config.addCommand(declareResolve().action(async (opts) => (await import('../actions/config-resolve.js')).configResolve(cli, opts)));
  config.addCommand(declareList().action(async (opts) => (await settings()).configList(cli, { ...opts, ...where() })));
  return config;
}

function declareConfig() {
  return new Command('config')
    .description('read and write blog settings (with --global: your user settings)')
    .option('--global', 'your user settings (author.name, author.email, editor, blog) instead of the blog');
}
/** What `config` itself takes: whether the user's settings are meant. */
export type ConfigOptions = OptionsOf<ReturnType<typeof declareConfig>>;

function declareGet() {
  return new Command('get').description('print one setting').argument('<key>', 'e.g. title, timezone, moderation.maxLinks');
}

function declareSet() {
  return new Command('set')
    .description('set one setting (lists: a JSON array or a comma list)')
    .argument('<key>', 'e.g. title, timezone, moderation.holdWords')
    .argument('<value>', 'the new value');
}

function declareUnset() {
  return new Command('unset').description('remove a setting (blog settings go back to their defaults)').argument('<key>', 'the setting');
}

function declareList() {
  return withShowFormat(new Command('list').description('print every setting'));
}
export type ConfigListOptions = OptionsOf<ReturnType<typeof declareList>> & ConfigOptions;

function declareResolve() {
  return new Command('resolve')
    .description('end the merge conflicts a git merge recorded in the settings')
    .option('--ours', 'keep the values the settings hold now')
    .option('--theirs', "take the other side's values, as the merge recorded them")
    .option('--field <key>', 'only these settings (repeatable, or a comma list); default: all', collectList);
}
export type ConfigResolveOptions = OptionsOf<ReturnType<typeof declareResolve>>;
