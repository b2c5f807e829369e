import path from 'node:path';
import { isValidEmail } from '../core/addresses.js';
import { UsageError } from '../core/errors.js';
import { singleLine } from '../core/text.js';

/** The user's own settings, kept apart from any blog (like git config --global). */
export interface UserSettings {
  'author.name': string;
  'author.email': string;
  editor: string;
  blog: string;
  /** The mail server for a blog's notifications, when the blog's own notify.smtp is empty (keeps a password out of the blog's git). */
  smtp: string;
}

export const USER_KEYS = ['author.name', 'author.email', 'editor', 'blog', 'smtp'] as const;
export type UserKey = (typeof USER_KEYS)[number];

/** Where the user's settings and default blog live: $TERMPRESS_CONFIG_DIR, else the platform's places. */
export async function userDirs(env: NodeJS.ProcessEnv): Promise<{ config: string; data: string }> {
  if (env.TERMPRESS_CONFIG_DIR) {
    const dir = path.resolve(env.TERMPRESS_CONFIG_DIR);
    return { config: dir, data: dir };
  }
  const { default: envPaths } = await import('env-paths');
  const paths = envPaths('termpress', { suffix: '' });
  return { config: paths.config, data: paths.data };
}

/** The user settings store (conf), imported only by the commands that need it. */
export async function openUserConfig(env: NodeJS.ProcessEnv): Promise<UserConfig> {
  const { default: Conf } = await import('conf');
  const { config } = await userDirs(env);
  const store = new Conf<Record<string, unknown>>({ projectName: 'termpress', cwd: config, configName: 'config' });
  return {
    path: store.path,
    get: (key) => {
      const value = store.get(key);
      return typeof value === 'string' ? value : undefined;
    },
    // A name or path with a stray escape code would reach every terminal that shows it: it is cleaned here, once.
    set: (key, value) => store.set(key, singleLine(value)),
    unset: (key) => store.delete(key),
    trustedTheme: (blogDir) => {
      const trusted = store.get(TRUSTED_THEMES);
      const digest = isRecord(trusted) && Object.hasOwn(trusted, blogDir) ? trusted[blogDir] : undefined;
      return typeof digest === 'string' ? digest : undefined;
    },
    trustTheme: (blogDir, digest) => {
      const trusted = store.get(TRUSTED_THEMES);
      // The whole map is written back: a folder name with dots must not be read as a nested key.
      store.set(TRUSTED_THEMES, { ...(isRecord(trusted) ? trusted : {}), [blogDir]: digest });
    },
    all: () => {
      const out: Partial<Record<UserKey, string>> = {};
      for (const key of USER_KEYS) {
        const value = store.get(key);
        if (typeof value === 'string') out[key] = value;
      }
      return out;
    },
  };
}

/** The blogs whose own theme templates the user trusted, by folder: the digest of the templates trusted. */
const TRUSTED_THEMES = 'trustedThemes';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface UserConfig {
  path: string;
  /** The digest of the blog's own theme templates the user trusted on this machine, if any. */
  trustedTheme(blogDir: string): string | undefined;
  /** Records the blog's own theme templates, by their digest, as trusted to run on this machine. */
  trustTheme(blogDir: string, digest: string): void;
  get(key: UserKey): string | undefined;
  set(key: UserKey, value: string): void;
  unset(key: UserKey): void;
  all(): Partial<Record<UserKey, string>>;
}

/** Checks a user setting's key and value, naming what is wrong. */
export function checkUserSetting(key: string, value?: string): UserKey {
  if (!(USER_KEYS as readonly string[]).includes(key)) {
    throw new UsageError(`Unknown user setting "${key}": use one of ${USER_KEYS.join(', ')}.`);
  }
  if (value !== undefined && key === 'author.email' && value !== '' && !isValidEmail(value)) {
    throw new UsageError(`"${value}" is not an email address for author.email.`);
  }
  if (value !== undefined && key === 'smtp' && value !== '' && !/^smtps?:\/\/[^\s/]+/.test(value)) {
    throw new UsageError(`smtp needs the mail server as smtp://host:587 or smtps://user:password@host:465, not "${value}".`);
  }
  return key as UserKey;
}
