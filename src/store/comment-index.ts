import { digestComments } from '../core/comments.js';
import type { CommentDigest } from '../core/comments.js';
import { NotFoundError, SymlinkError } from '../core/errors.js';
import { isId } from '../core/ids.js';
import type { Post } from '../core/types.js';
import { blogFolder } from './confined.js';
import { sealedBytes, sealedEntries, statPostFiles } from './index-cache.js';
import { misnamedPostFile } from './layout.js';
import type { BlogLayout } from './layout.js';

/**
 * .termpress/comments.json: each post's comment digest (ids, known authors, newest comment), so that
 * finding a comment by id and the moderation rules' look at the rest of the blog read only the posts
 * that matter, not every post with comments. A cache like the index: each entry holds for its file's
 * size and modification time, and whatever does not hold is read again from the post.
 */
const COMMENT_INDEX_VERSION = 1;

interface Entry {
  size: number;
  mtimeMs: number;
  comments: CommentDigest;
}

// Only a file exactly as termpress wrote it is used (see sealedEntries); this guards against a file
// forged to match its digest, which could otherwise put a value of the wrong type in a rule.
function wellFormed(entry: Entry | undefined): entry is Entry {
  const digest = entry?.comments;
  return (
    typeof entry?.size === 'number' &&
    typeof entry.mtimeMs === 'number' &&
    typeof digest?.ids === 'string' &&
    Array.isArray(digest.authors) &&
    digest.authors.every((a) => typeof a === 'string') &&
    (digest.latest === null || typeof digest.latest === 'string')
  );
}

/** The stored entries, or null when the file is missing, damaged or not as termpress wrote it. */
async function readEntries(layout: BlogLayout): Promise<Record<string, Entry> | null> {
  try {
    const bytes = await blogFolder(layout.dir).read(layout.commentIndexFile);
    return bytes === null ? null : sealedEntries<Entry>(bytes, COMMENT_INDEX_VERSION);
  } catch (error) {
    if (error instanceof SymlinkError) throw error;
    // Damaged: rebuilt from the post files.
    return null;
  }
}

// Posts read again cost less than writing the whole file after each comment command, as long as they
// are few and small: the file is saved only past these (or when it was missing, or a post is gone).
const UNSAVED_POSTS = 32;
const UNSAVED_BYTES = 1_000_000;

/**
 * Every post's comment digest by post id, in the order of the post files, checked against the files as
 * the index is: posts that changed (or are new) are read again with readPost, and the file is saved when
 * that was more than a few posts (see UNSAVED_POSTS). A failure to save is not worth failing a command
 * for, but a link in its way is.
 */
export async function commentDigests(layout: BlogLayout, readPost: (id: string) => Promise<Post>): Promise<Map<string, CommentDigest>> {
  const [read, files] = await Promise.all([readEntries(layout), statPostFiles(layout)]);
  const stored = read ?? {};
  const entries: Record<string, Entry> = {};
  const digests = new Map<string, CommentDigest>();
  let changed = read === null || Object.keys(stored).some((id) => !files.has(id));
  let readAgain = 0;
  let bytesReadAgain = 0;
  for (const [id, stat] of files) {
    if (!isId(id)) throw misnamedPostFile(stat.file);
    const known = Object.hasOwn(stored, id) ? stored[id] : undefined;
    let entry: Entry;
    if (wellFormed(known) && known.size === stat.size && known.mtimeMs === stat.mtimeMs) {
      entry = known;
    } else {
      let post: Post;
      try {
        post = await readPost(id);
      } catch (error) {
        // Deleted by another process between listing the folder and reading the file: it is gone.
        if (!(error instanceof NotFoundError)) throw error;
        changed = true;
        continue;
      }
      entry = { size: stat.size, mtimeMs: stat.mtimeMs, comments: digestComments(post) };
      readAgain++;
      bytesReadAgain += stat.size;
    }
    entries[id] = entry;
    digests.set(id, entry.comments);
  }
  if (changed || readAgain > UNSAVED_POSTS || bytesReadAgain > UNSAVED_BYTES) {
    await blogFolder(layout.dir)
      .write(layout.commentIndexFile, sealedBytes(COMMENT_INDEX_VERSION, entries), { fsync: false })
      .catch((error: unknown) => {
        if (error instanceof SymlinkError) throw error;
      });
  }
  return digests;
}
