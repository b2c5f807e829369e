/** `termpress import --format wxr`: a WordPress export read as a stream, all or nothing unless --lenient. */
import { UsageError } from '../core/errors.js';
import { checkTimezone } from '../core/dates.js';
import { detached } from './detached.js';
import { decodeHtmlText } from './entities.js';
import { fileSize, textChunks, twoPassProgress } from './file-chunks.js';
import { parsePost } from './json-schema.js';
import { LenientWxrReader } from './lenient-reader.js';
import { mapItem, type MapContext } from './map-item.js';
import { MediaSink, PostSink } from './post-sink.js';
import { channelTaxonomy } from './channel-terms.js';
import { CategoryTree, mergeTaxonomy } from '../core/taxonomy.js';
import { isWxrVersion, type ChannelInfo, type RawItem } from './raw-item.js';
import type { Post } from '../core/types.js';
import { countSkipped, emptyReport, warn } from './report.js';
import type { ImportReport, ImportTarget, WxrImportOptions, XmlFault } from './types.js';
import { StrictWxrReader, XmlFaultError } from './xml-reader.js';

interface Reader {
  readonly channel: ChannelInfo;
  readonly itemCount: number;
  write(chunk: string): void;
  end(): void;
  drain(): RawItem[];
}

function notWxr(file: string): UsageError {
  // The same words as WordPress's importer, which users may search for.
  return new UsageError(
    `${file} does not appear to be a WXR file, missing/invalid WXR version number; export it again from WordPress (Tools > Export).`,
  );
}

function faultError(file: string, fault: XmlFault): UsageError {
  return new UsageError(
    `${file}:${fault.line}:${fault.column}: not well-formed XML (${fault.message}); nothing was imported. ` +
      'Fix the file, or use --lenient to import what can be read.',
  );
}

/** How an item is named in messages: by its WordPress id and title. */
function itemLabel(post: Post): string {
  return `${post.type ?? 'post'} ${String(post.legacy?.['wpPostId'] ?? '')} "${post.title.length > 60 ? `${post.title.slice(0, 60)}…` : post.title}"`;
}

function invalidItem(file: string, post: Post, error: string): UsageError {
  return new UsageError(
    `${file}: ${itemLabel(post)} is invalid at ${error}; nothing was imported. ` +
      'Fix the post in WordPress and export again, or use --lenient to import the other posts.',
  );
}

/**
 * Import the posts of a WXR file (1.0, 1.1, 1.2). A first pass checks that the whole file is well-formed
 * and is WXR, and that every post it maps to is one termpress can store (ids, slug, limits), so that a
 * broken file writes nothing; the second pass maps items and hands posts to the target in batches as they
 * are read, so memory does not grow with the file. With --lenient, posts that cannot be stored are skipped.
 */
export async function importWxr(file: string, target: ImportTarget, options: WxrImportOptions): Promise<ImportReport> {
  checkTimezone(options.timezone);
  const size = await fileSize(file);
  const dryRun = options.dryRun ?? false;
  const report = emptyReport(file, 'wxr', dryRun);
  const passes = twoPassProgress(size, options.onProgress);
  const progress = (bytes: number): void => passes.add(bytes);

  const lenient = options.lenient === true;
  let fault: XmlFault | undefined;
  let invalid: UsageError | undefined;
  // Without --lenient the check pass maps every item too, one at a time, to find a post that cannot be stored.
  const check = new StrictWxrReader(!lenient);
  const checkContext: MapContext = { channel: check.channel, timezone: options.timezone, now: options.now, author: options.author };
  const checkItems = (): void => {
    for (const item of check.drain()) {
      if (invalid !== undefined) continue;
      const result = mapItem(item, checkContext);
      if (result.kind !== 'post') continue;
      const parsed = parsePost(result.post);
      if ('error' in parsed) invalid = invalidItem(file, result.post, parsed.error);
    }
  };
  try {
    for await (const chunk of textChunks(file, progress)) {
      check.write(chunk);
      checkItems();
    }
    check.end();
    checkItems();
  } catch (error) {
    if (!(error instanceof XmlFaultError)) throw error;
    fault = error.fault;
  }
  if (fault !== undefined && !lenient) throw faultError(file, fault);
  if (fault === undefined && !isWxrVersion(check.channel.wxrVersion)) throw notWxr(file);
  if (invalid !== undefined) throw invalid;
  passes.firstPassDone();
  if (fault !== undefined) {
    report.recoveredFrom = fault;
    warn(report, `not well-formed XML at line ${fault.line}, column ${fault.column} (${fault.message}); read with the forgiving parser`);
  }

  const sink = new PostSink(target, await target.existingLegacyKeys(), report, dryRun);
  const media = new MediaSink(await target.existingMediaKeys(), report);
  const blogTaxonomy = await target.taxonomy();
  const reader: Reader = fault === undefined ? new StrictWxrReader(true) : new LenientWxrReader();
  const context: MapContext = { channel: reader.channel, timezone: options.timezone, now: options.now, author: options.author };
  const take = async (): Promise<void> => {
    const items = reader.drain();
    // The forgiving reader learns the version only as it goes; the channel header precedes every item.
    if (items.length > 0 && !isWxrVersion(reader.channel.wxrVersion)) throw notWxr(file);
    // The channel's terms precede its items: how posts name their categories is settled once they are read.
    if (items.length > 0)
      context.categories ??= new CategoryTree(mergeTaxonomy(blogTaxonomy, channelTaxonomy(reader.channel.terms)).taxonomy.categories);
    for (const item of items) {
      const result = mapItem(item, context);
      if (result.kind === 'skip') {
        countSkipped(report, result.skip);
        continue;
      }
      if (result.kind === 'media') {
        media.add(result.media, result.keys);
        continue;
      }
      const parsed = parsePost(result.post);
      if ('error' in parsed) {
        // Only --lenient gets here, or a file changed since the check pass.
        if (!lenient) throw invalidItem(file, result.post, parsed.error);
        countSkipped(report, 'invalid');
        warn(report, `${itemLabel(result.post)}: invalid at ${parsed.error}; not imported`);
        continue;
      }
      // What the mapping warns of (a private post made a draft) matters only for a post this import takes.
      const taken = await sink.add(parsed.post, result.keys, itemLabel(parsed.post));
      if (taken) for (const message of result.warnings) warn(report, message);
    }
  };
  try {
    for await (const chunk of textChunks(file, progress)) {
      reader.write(chunk);
      await take();
    }
    reader.end();
    await take();
  } catch (error) {
    await sink.settle();
    // Only a file changed between the passes gets here; what was already stored is re-import safe.
    if (error instanceof XmlFaultError) throw faultError(file, error.fault);
    throw error;
  }
  if (!isWxrVersion(reader.channel.wxrVersion)) throw notWxr(file);
  await sink.end();
  const terms = channelTaxonomy(reader.channel.terms);
  const merged = dryRun ? mergeTaxonomy(blogTaxonomy, terms) : await target.addTaxonomy(terms);
  report.categories = { imported: merged.categories.added, present: merged.categories.present };
  report.tags = { imported: merged.tags.added, present: merged.tags.present };
  if (!dryRun && media.records.length > 0) await target.addMedia(media.records);

  if (reader instanceof LenientWxrReader) {
    for (let i = 0; i < reader.partialItems; i += 1) countSkipped(report, 'partial');
  }
  report.items = reader.itemCount;
  report.wxrVersion = detached(reader.channel.wxrVersion);
  if (reader.channel.siteUrl !== undefined) report.site = detached(reader.channel.siteUrl);
  const { title, description, link, language } = reader.channel;
  report.channel = {
    title: title === undefined ? undefined : decodeHtmlText(title).trim(),
    description: description === undefined ? undefined : decodeHtmlText(description).trim(),
    link,
    language,
  };
  return report;
}
