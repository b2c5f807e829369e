import { promises as fs } from 'node:fs';
import path from 'node:path';
import { hasControl } from '../../core/text.js';

/** What a request path names in the site, before the disk is asked. */
export type SitePath =
  | { kind: 'path'; segments: string[]; trailingSlash: boolean }
  /** Not a path at all (bad percent-encoding, NUL, backslash, control characters): 400. */
  | { kind: 'bad' }
  /** A path that climbs or names a hidden file: it names nothing the site serves, 404. */
  | { kind: 'outside' };

/**
 * Reads the path part of a request target, decoded once. A path is refused rather than
 * normalised when it has "." or ".." segments in any encoding, or a hidden file ("/.git",
 * the build manifest); ".well-known" is the one dot folder a site may need.
 */
export function parseSitePath(target: string): SitePath {
  const rawPath = target.split(/[?#]/, 1)[0] ?? '';
  if (!rawPath.startsWith('/')) return { kind: 'bad' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad' };
  }
  // Controls, and the backslash, which Windows and some proxies read as a separator.
  if (hasControl(decoded) || decoded.includes('\\')) return { kind: 'bad' };
  const parts = decoded.split('/').slice(1);
  const trailingSlash = decoded.endsWith('/');
  const segments = parts.filter((part) => part !== '');
  if (segments.some((part) => part === '.' || part === '..' || (part.startsWith('.') && part !== '.well-known')))
    return { kind: 'outside' };
  return { kind: 'path', segments, trailingSlash };
}

/** The canonical request path of some segments: each percent-encoded, so "//evil.example" can never come out. */
export function pathOf(segments: readonly string[], trailingSlash: boolean): string {
  const joined = segments.map(encodeURIComponent).join('/');
  return `/${joined}${trailingSlash && joined !== '' ? '/' : ''}`;
}

/** What the disk holds for a site path, after following symlinks only as far as the site's own folder. */
export type Found =
  { kind: 'file'; file: string; stat: import('node:fs').Stats } | { kind: 'folder' } | { kind: 'missing' } | { kind: 'outside' };

/**
 * Finds the file a site path names under the site's real root. Every symlink is resolved, and
 * a file or folder whose real place is not under the root is refused as if it were not there: a
 * symlink in the site must never serve /etc/passwd or the blog's private folder. A folder is
 * served by its index.html when the path ends with "/".
 */
export async function findInSite(realRoot: string, segments: readonly string[], trailingSlash: boolean): Promise<Found> {
  const real = await realInside(realRoot, path.join(realRoot, ...segments));
  if (typeof real !== 'string') return { kind: real };
  const stat = await fs.stat(real).catch(() => null);
  if (!stat) return { kind: 'missing' };
  if (stat.isFile()) return { kind: 'file', file: real, stat };
  if (!stat.isDirectory()) return { kind: 'missing' };
  if (!trailingSlash && segments.length > 0) return { kind: 'folder' };
  const index = await realInside(realRoot, path.join(real, 'index.html'));
  if (typeof index !== 'string') return { kind: index };
  const indexStat = await fs.stat(index).catch(() => null);
  return indexStat?.isFile() ? { kind: 'file', file: index, stat: indexStat } : { kind: 'missing' };
}

/** The real path of a file if it is under the root; a file that is gone or unreadable is simply missing. */
async function realInside(realRoot: string, file: string): Promise<string | 'missing' | 'outside'> {
  let real: string;
  try {
    real = await fs.realpath(file);
  } catch {
    return 'missing';
  }
  return real === realRoot || real.startsWith(realRoot + path.sep) ? real : 'outside';
}
