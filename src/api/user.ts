/**
 * The user's own settings (author name and email, editor, default blog, trusted themes), kept apart from
 * any blog the way `git config --global` is: what commands read and `config --global` writes.
 */
export { USER_KEYS, checkUserSetting, openUserConfig, userDirs } from '../store/user-config.js';
export type { UserConfig, UserKey, UserSettings } from '../store/user-config.js';
