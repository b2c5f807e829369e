/** `termpress import --format wxr`: a WordPress export read as a stream, all or nothing unless --lenient. */
import { UsageError } from '../core/errors.js';
import { checkTimezone } from './dates.js';
import { detached } from './detached.js';
import { fileSize, textChunks } from './file-chunks.js';
import { LenientWxrReader } from './lenient-reader.js';
import { mapItem, type MapContext } from './map-item.js';
import { PostSink } from './post-sink.js';
import { isWxrVersion, type ChannelInfo, type RawItem } from './raw-item.js';
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

/**
 * Import the posts of a WXR file (1.0, 1.1, 1.2). A first pass checks that the whole file is well-formed
 * and is WXR, so that a broken file writes nothing; the second pass maps items and hands posts to the
 * target in batches as they are read, so memory does not grow with the file.
 */
export async function importWxr(file: string, target: ImportTarget, options: WxrImportOptions): Promise<ImportReport> {
  checkTimezone(options.timezone);
  const size = await fileSize(file);
  const dryRun = options.dryRun ?? false;
  const report = emptyReport(file, 'wxr', dryRun);
  let done = 0;
  const progress = (bytes: number): void => {
    done += bytes;
    options.onProgress?.(done, size * 2);
  };

  let fault: XmlFault | undefined;
  const check = new StrictWxrReader(false);
  try {
    for await (const chunk of textChunks(file, progress)) check.write(chunk);
    check.end();
  } catch (error) {
    if (!(error instanceof XmlFaultError)) throw error;
    fault = error.fault;
  }
  if (fault !== undefined && options.lenient !== true) throw faultError(file, fault);
  if (fault === undefined && !isWxrVersion(check.channel.wxrVersion)) throw notWxr(file);
  done = size;
  if (fault !== undefined) {
    report.recoveredFrom = fault;
    warn(report, `not well-formed XML at line ${fault.line}, column ${fault.column} (${fault.message}); read with the forgiving parser`);
  }

  const sink = new PostSink(target, await target.existingLegacyKeys(), report, dryRun);
  const reader: Reader = fault === undefined ? new StrictWxrReader(true) : new LenientWxrReader();
  const context: MapContext = { channel: reader.channel, timezone: options.timezone, now: options.now, author: options.author };
  const take = async (): Promise<void> => {
    const items = reader.drain();
    // The forgiving reader learns the version only as it goes; the channel header precedes every item.
    if (items.length > 0 && !isWxrVersion(reader.channel.wxrVersion)) throw notWxr(file);
    for (const item of items) {
      const result = mapItem(item, context);
      if (result.kind === 'skip') {
        countSkipped(report, result.skip);
        continue;
      }
      // What the mapping warns of (a private post made a draft) matters only for a post this import takes.
      const taken = await sink.add(result.post, result.keys, `post ${result.post.legacy?.['wpPostId'] ?? ''} "${result.post.title}"`);
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
    // Only a file changed between the passes gets here; what was already stored is re-import safe.
    if (error instanceof XmlFaultError) throw faultError(file, error.fault);
    throw error;
  }
  if (!isWxrVersion(reader.channel.wxrVersion)) throw notWxr(file);
  await sink.flush();

  if (reader instanceof LenientWxrReader) {
    for (let i = 0; i < reader.partialItems; i += 1) countSkipped(report, 'partial');
  }
  report.items = reader.itemCount;
  report.wxrVersion = detached(reader.channel.wxrVersion);
  if (reader.channel.siteUrl !== undefined) report.site = detached(reader.channel.siteUrl);
  return report;
}
