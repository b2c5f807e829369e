/** WordPress (WXR) import and export, termpress JSON backups, and Markdown export. */
export { importWxr } from './import-wxr.js';
export { legacyKeysOfPost } from './types.js';
export type { ImportReport, ImportTarget, WxrImportOptions, JsonImportOptions, XmlFault } from './types.js';
