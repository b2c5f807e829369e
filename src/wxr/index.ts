/** WordPress (WXR) import and export, termpress JSON backups, and Markdown export. */
export { importWxr } from './import-wxr.js';
export { importJson } from './import-json.js';
export { exportJson } from './export-json.js';
export { exportWxr, type WxrExportOptions } from './export-wxr.js';
export { exportMarkdown, markdownFileOf } from './export-markdown.js';
export { legacyKeysOfPost } from './types.js';
export type { BaseImportOptions, ImportReport, ImportTarget, JsonImportOptions, WxrImportOptions, XmlFault } from './types.js';
