/** WXR dates: `YYYY-MM-DD HH:MM:SS` in UTC (`*_gmt`) or in the blog's timezone, and RFC 822 `pubDate`. */
import { DateTime } from 'luxon';

const WXR_FORMAT = 'yyyy-MM-dd HH:mm:ss';
/** `YYYY-MM-DD HH:MM:SS`, or without the seconds as old exports sometimes write it. */
const WXR_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A WXR date in the given zone as ISO 8601 UTC, or undefined for WordPress's empty `0000-00-00 00:00:00`. */
export function parseWxrDate(text: string | undefined, zone: string): string | undefined {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '' || trimmed.startsWith('0000-00-00')) return undefined;
  // Read by hand rather than with DateTime.fromFormat, which compiles its format anew for each of the
  // many dates of an import; luxon still judges the fields (a 31st of April is no date) and the zone.
  const match = WXR_DATE.exec(trimmed);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second = 0] = match.slice(1).flatMap((field) => (field === undefined ? [] : [Number(field)]));
  const date = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone });
  return date.isValid ? date.toUTC().toJSDate().toISOString() : undefined;
}

/**
 * The day of a WordPress local date (`post_date`), which WordPress's own date permalinks use: the day
 * a published post's address keeps (Post.permalinkDate), so that imported addresses stay WordPress's.
 */
export function wxrLocalDay(text: string | undefined): string | undefined {
  const trimmed = text?.trim() ?? '';
  if (trimmed.startsWith('0000-00-00')) return undefined;
  const date = /^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}/.exec(trimmed)?.[1];
  return date !== undefined && DateTime.fromISO(date).isValid ? date : undefined;
}

/** An RSS `pubDate` (RFC 822) as ISO 8601 UTC; WordPress writes `Wed, 30 Nov -0001` for "no date". */
export function parsePubDate(text: string | undefined): string | undefined {
  const date = DateTime.fromRFC2822(text?.trim() ?? '');
  return date.isValid && date.year > 0 ? date.toUTC().toJSDate().toISOString() : undefined;
}

/** An ISO time as a WXR date in the given zone (`post_date`), or in UTC (`post_date_gmt`). */
export function formatWxrDate(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat(WXR_FORMAT);
}

/** An ISO time as an RSS `pubDate`. */
export function formatPubDate(iso: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).toFormat("EEE, dd LLL yyyy HH:mm:ss '+0000'", { locale: 'en-US' });
}
