/** Where mapped posts go during an import: skipped if already present, counted, and handed to the target in batches. */
import type { MediaRecord } from '../core/media.js';
import type { Post } from '../core/types.js';
import { detached } from './detached.js';
import { countImported, countSkipped, warn } from './report.js';
import type { ImportReport, ImportTarget } from './types.js';

/** Flush after this many posts or this much text, whichever comes first, so memory stays bounded. */
const BATCH_POSTS = 200;
const BATCH_CHARS = 8 * 1024 * 1024;

function sizeOf(post: Post): number {
  let size = post.body.length + post.excerpt.length + post.title.length;
  for (const comment of post.comments) size += comment.body.length;
  return size;
}

export class PostSink {
  private batch: Post[] = [];
  private batchChars = 0;
  /** Keys of the posts this import has taken, so an item repeated in the file is imported once. */
  private readonly seen = new Set<string>();
  /** Whether any post went to the target, so that the end is told only to a target that has something to finish. */
  private taken = false;
  /** The batch the target is storing, if any. */
  private storing: Promise<void> | undefined;

  constructor(
    private readonly target: ImportTarget,
    private readonly existing: Set<string>,
    private readonly report: ImportReport,
    private readonly dryRun: boolean,
  ) {}

  /** Take a post answering to these legacy keys, unless the blog or this import already has it; true when taken. */
  async add(post: Post, keys: string[], label: string): Promise<boolean> {
    if (keys.some((k) => this.existing.has(k))) {
      countSkipped(this.report, 'present');
      return false;
    }
    if (keys.some((k) => this.seen.has(k))) {
      countSkipped(this.report, 'duplicate');
      warn(this.report, `${label}: appears more than once in the file; imported once`);
      return false;
    }
    for (const key of keys) this.seen.add(detached(key));
    countImported(this.report, post);
    if (this.dryRun) return true;
    this.taken = true;
    // The post's strings are views into chunks of the file; a target that keeps any of them (an index of
    // titles and slugs) would keep those chunks too. A structured clone gives it strings of its own.
    this.batch.push(structuredClone(post));
    this.batchChars += sizeOf(post);
    if (this.batch.length >= BATCH_POSTS || this.batchChars >= BATCH_CHARS) await this.flush();
    return true;
  }

  /**
   * Hand the posts waiting to the target, and go on reading while it stores them: one batch is stored at a
   * time, in order (each sees the slugs of the one before), while the file is read on.
   */
  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.batchChars = 0;
    await this.storing;
    const storing = this.target.addPosts(batch);
    // Thrown where the next batch or the end waits for it; meanwhile it is not an unhandled rejection.
    storing.catch(() => undefined);
    this.storing = storing;
  }

  /** Hand the last posts to the target, telling it the import's posts end here (nothing at all in a dry run). */
  async end(): Promise<void> {
    if (this.dryRun) return;
    const batch = this.batch;
    this.batch = [];
    this.batchChars = 0;
    await this.storing;
    this.storing = undefined;
    if (batch.length > 0 || this.taken) await this.target.addPosts(batch, { last: true });
  }

  /** Wait for the batch being stored, whatever becomes of it: an import that stops early ends only once no write is under way. */
  async settle(): Promise<void> {
    await this.storing?.catch(() => undefined);
  }
}

/** Where attachments go during an import: kept once each, counted, and handed to the target at the end. */
export class MediaSink {
  readonly records: MediaRecord[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly existing: Set<string>,
    private readonly report: ImportReport,
  ) {}

  add(media: MediaRecord, keys: string[]): void {
    if (keys.some((k) => this.existing.has(k))) {
      this.report.media.present += 1;
      return;
    }
    if (keys.some((k) => this.seen.has(k))) {
      countSkipped(this.report, 'duplicate');
      return;
    }
    for (const key of keys) this.seen.add(detached(key));
    this.report.media.imported += 1;
    this.records.push(structuredClone(media));
  }
}
