/** WXR namespaces: real exports use several URIs for the same vocabulary (export/1.0, 1.1, 1.2 ...). */

const WP = /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/?$/;
const EXCERPT = /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/excerpt\/?$/;
const KNOWN: Record<string, string> = {
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://wellformedweb.org/CommentAPI/': 'wfw',
};

/** The prefix termpress uses for a namespace URI, whatever prefix the file chose; unknown URIs keep the file's. */
export function canonicalPrefix(uri: string, filePrefix: string): string {
  if (uri === '') return '';
  if (WP.test(uri)) return 'wp';
  if (EXCERPT.test(uri)) return 'excerpt';
  return KNOWN[uri] ?? KNOWN[uri.endsWith('/') ? uri : `${uri}/`] ?? filePrefix;
}

/** An element's name as `prefix:local` with the canonical prefix, or `local` without a namespace. */
export function canonicalName(uri: string, filePrefix: string, local: string): string {
  const prefix = canonicalPrefix(uri, filePrefix);
  return prefix === '' ? local : `${prefix}:${local}`;
}
