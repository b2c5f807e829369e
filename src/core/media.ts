/**
 * The blog's media: files its posts and pages show, kept in the blog's media/ folder and listed in
 * media.json. An attachment imported from WordPress is a record first (where it lived, its caption and
 * alt text) and a local file once downloaded.
 */
import * as z from './zod.js';
import { once } from './once.js';
import { isId } from './ids.js';

export interface MediaRecord {
  id: string;
  /** The file under media/ ("2019/05/boat.jpg"), or null while only the remote copy exists. */
  file: string | null;
  /** Where the file came from (a WordPress attachment URL), or '' for one added from disk. */
  url: string;
  title: string;
  caption: string;
  description: string;
  alt: string;
  mimeType: string;
  /** Bytes of the local file, or null while there is none. */
  size: number | null;
  /** The post or page it belongs to, or null. */
  postId: string | null;
  createdAt: string;
  legacy?: Record<string, unknown> | undefined;
}

/** The largest file `media add` takes (and the default cap of `import --media`). */
export const MAX_MEDIA_FILE_BYTES = 64 * 1024 * 1024;

/** How many media records a blog may hold. */
export const MAX_MEDIA = 200_000;
const MAX_TEXT = 10_000;

/** Why a path cannot name a file under media/, or null when it can: "/"-separated names, nothing hidden or climbing. */
export function mediaPathProblem(file: string): string | null {
  if (file.length === 0 || file.length > 1024) return 'must be 1 to 1024 characters';
  const parts = file.split('/');
  if (parts.length > 8) return 'is nested too deep';
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..' || part.startsWith('.')) return `has the part "${part}", which may not name a file`;
    if (/[\\\p{Cc}\p{Cf}:*?"<>|]/u.test(part)) return `has the part "${part}" with a character a file name may not hold`;
    if (Buffer.byteLength(part, 'utf8') > 200) return 'has a name longer than 200 bytes';
  }
  return null;
}

const mediaPath = () =>
  z.string().refine((file) => mediaPathProblem(file) === null, {
    error: (issue) => mediaPathProblem(issue.input as string) ?? 'is not a media path',
  });
const text = () => z.string().max(MAX_TEXT);

export const mediaRecordSchema = once(() =>
  z.object({
    id: z.string().refine(isId, { error: 'is not a termpress id' }),
    file: mediaPath().nullable(),
    url: z.string().max(4096),
    title: text(),
    caption: text(),
    description: text(),
    alt: text(),
    mimeType: z.string().max(255),
    size: z.number().int().min(0).nullable(),
    postId: z.string().refine(isId, { error: 'is not a termpress id' }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    legacy: z.record(z.string(), z.unknown()).optional(),
  }),
);

export const mediaListSchema = once(() => z.object({ media: z.array(mediaRecordSchema()).max(MAX_MEDIA) }));

/** A name for a file part: letters, digits, dots, hyphens and underscores, never hidden, at most 100 bytes. */
function safePart(part: string): string {
  let decoded = part;
  try {
    decoded = decodeURIComponent(part);
  } catch {
    // Kept as written.
  }
  let clean = decoded
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+|-+$/g, '');
  while (Buffer.byteLength(clean, 'utf8') > 100) clean = clean.slice(0, -1);
  return clean;
}

/**
 * A path under media/ made from another system's path ("2019/05/boat.jpg", "../../x.jpg"): each part
 * made safe, at most four deep, else `fallback`; a path `taken` has (compared without case) gets "-2",
 * "-3" before its extension.
 */
export function safeMediaPath(source: string, fallback: string, taken: ReadonlySet<string>): string {
  let file = source
    .split(/[/\\]+/)
    .map(safePart)
    .filter((part) => part !== '')
    .slice(-4)
    .join('/');
  if (file === '' || mediaPathProblem(file) !== null) file = fallback;
  const slash = file.lastIndexOf('/');
  const dot = file.lastIndexOf('.');
  const stem = dot > slash + 1 ? file.slice(0, dot) : file;
  const ext = dot > slash + 1 ? file.slice(dot) : '';
  let candidate = file;
  for (let n = 2; taken.has(candidate.toLowerCase()); n += 1) candidate = `${stem}-${n}${ext}`;
  return candidate;
}
