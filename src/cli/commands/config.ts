import { Command } from '@commander-js/extra-typings';
import { parseSettingValue, settingKeys } from '../../api/settings.js';
import { NotFoundError } from '../../core/errors.js';
import type { Cli } from '../context.js';
import { toJson } from '../output.js';
import { showFormatOf, withShowFormat } from '../options.js';
import { blogFor, outputFor } from '../shared.js';
import { collectList } from '../options.js';
import type { OptionsOf } from '../options.js';

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `termpress config`: blog settings, or with --global the user's own, the way git config works. */
export function configCommand(cli: Cli) {
  const config = new Command('config')
    .description('read and write blog settings (with --global: your user settings)')
    .option('--global', 'your user settings (author.name, author.email, editor, blog) instead of the blog');
  const isGlobal = () => Boolean(config.opts().global);
  const userConfig = async () => await import('../../api/user.js');

  config
    .command('get')
    .description('print one setting')
    .argument('<key>', 'e.g. title, timezone, moderation.maxLinks')
    .action(async (key) => {
      const out = outputFor(cli);
      if (isGlobal()) {
        const { checkUserSetting, openUserConfig } = await userConfig();
        const value = (await openUserConfig(cli.ctx.env)).get(checkUserSetting(key));
        if (value === undefined) throw new NotFoundError(`${key} is not set: termpress config --global set ${key} <value>.`);
        out.result(value);
        return;
      }
      out.result(show(await (await blogFor(cli)).getSetting(key)));
    });

  config
    .command('set')
    .description('set one setting (lists: a JSON array or a comma list)')
    .argument('<key>', 'e.g. title, timezone, moderation.holdWords')
    .argument('<value>', 'the new value')
    .action(async (key, value) => {
      const out = outputFor(cli);
      if (isGlobal()) {
        const { checkUserSetting, openUserConfig } = await userConfig();
        const checked = checkUserSetting(key, value);
        const user = await openUserConfig(cli.ctx.env);
        user.set(checked, value);
        out.info(`Set ${key} = ${user.get(checked) ?? ''} (user settings)`);
        return;
      }
      const parsed = parseSettingValue(key, value);
      const blog = await blogFor(cli);
      await blog.setSetting(key, parsed);
      out.info(`Set ${key} = ${show(await blog.getSetting(key))}`);
    });

  config
    .command('unset')
    .description('remove a setting (blog settings go back to their defaults)')
    .argument('<key>', 'the setting')
    .action(async (key) => {
      const out = outputFor(cli);
      if (isGlobal()) {
        const { checkUserSetting, openUserConfig } = await userConfig();
        (await openUserConfig(cli.ctx.env)).unset(checkUserSetting(key));
        out.info(`Unset ${key} (user settings)`);
        return;
      }
      const blog = await blogFor(cli);
      await blog.setSetting(key, undefined);
      out.info(`Unset ${key}: back to ${show(await blog.getSetting(key))}`);
    });

  config.addCommand(declareResolve().action(async (opts) => (await import('../actions/config-resolve.js')).configResolve(cli, opts)));

  withShowFormat(config.command('list').description('print every setting')).action(async (opts) => {
    const out = outputFor(cli);
    const format = showFormatOf(opts);
    let values: Record<string, unknown>;
    if (isGlobal()) {
      const { openUserConfig } = await userConfig();
      values = (await openUserConfig(cli.ctx.env)).all();
    } else {
      const blog = await blogFor(cli);
      values = {};
      for (const key of settingKeys()) values[key] = await blog.getSetting(key);
    }
    if (format === 'json') out.result(toJson(values));
    else for (const [key, value] of Object.entries(values)) out.result(`${key}=${show(value)}`);
  });
  return config;
}

function declareResolve() {
  return new Command('resolve')
    .description('end the merge conflicts a git merge recorded in the settings')
    .option('--ours', 'keep the values the settings hold now')
    .option('--theirs', "take the other side's values, as the merge recorded them")
    .option('--field <key>', 'only these settings (repeatable, or a comma list); default: all', collectList);
}
export type ConfigResolveOptions = OptionsOf<ReturnType<typeof declareResolve>>;
