import { parseSettingValue, settingKeys } from '../../api/settings.js';
import { NotFoundError } from '../../core/errors.js';
import type { ConfigListOptions, ConfigOptions } from '../commands/config.js';
import type { Cli } from '../context.js';
import { showFormatOf } from '../options.js';
import { toJson } from '../output.js';
import { blogFor, outputFor } from '../shared.js';

/** A setting's value as config prints it: a string as it is, anything else as JSON. */
function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const userConfig = async () => await import('../../api/user.js');

/** `config get <key>`: one setting of the blog, or with --global of the user. */
export async function configGet(cli: Cli, key: string, opts: ConfigOptions): Promise<void> {
  const out = outputFor(cli);
  if (opts.global) {
    const { checkUserSetting, openUserConfig } = await userConfig();
    const value = (await openUserConfig(cli.ctx.env)).get(checkUserSetting(key));
    if (value === undefined) throw new NotFoundError(`${key} is not set: termpress config --global set ${key} <value>.`);
    out.result(value);
    return;
  }
  out.result(show(await (await blogFor(cli)).getSetting(key)));
}

/** `config set <key> <value>`: one setting checked and written. */
export async function configSet(cli: Cli, key: string, value: string, opts: ConfigOptions): Promise<void> {
  const out = outputFor(cli);
  if (opts.global) {
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
}

/** `config unset <key>`: a setting removed; a blog setting goes back to its default. */
export async function configUnset(cli: Cli, key: string, opts: ConfigOptions): Promise<void> {
  const out = outputFor(cli);
  if (opts.global) {
    const { checkUserSetting, openUserConfig } = await userConfig();
    (await openUserConfig(cli.ctx.env)).unset(checkUserSetting(key));
    out.info(`Unset ${key} (user settings)`);
    return;
  }
  const blog = await blogFor(cli);
  await blog.setSetting(key, undefined);
  out.info(`Unset ${key}: back to ${show(await blog.getSetting(key))}`);
}

/** `config list`: every setting, as key=value lines or one JSON object. */
export async function configList(cli: Cli, opts: ConfigListOptions): Promise<void> {
  const out = outputFor(cli);
  const format = showFormatOf(opts);
  let values: Record<string, unknown>;
  if (opts.global) {
    const { openUserConfig } = await userConfig();
    values = (await openUserConfig(cli.ctx.env)).all();
  } else {
    const blog = await blogFor(cli);
    values = {};
    for (const key of settingKeys()) values[key] = await blog.getSetting(key);
  }
  if (format === 'json') out.result(toJson(values));
  else for (const [key, value] of Object.entries(values)) out.result(`${key}=${show(value)}`);
}
