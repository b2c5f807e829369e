import { DateTime, IANAZone } from 'luxon';
import { UsageError } from './errors.js';

/** Whether a timezone name is one the blog can use (IANA names such as Europe/Paris, or UTC). */
export function isValidTimezone(zone: string): boolean {
  return zone === 'UTC' || IANAZone.isValidZone(zone);
}

/**
 * Reads a date typed by a person: ISO 8601, or natural language ("tomorrow 9am", "next friday 17:00")
 * relative to now, in the blog's timezone unless the text names its own offset. Null when unreadable.
 */
export async function parseHumanDate(text: string, now: Date, timezone: string): Promise<Date | null> {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const iso = DateTime.fromISO(trimmed, { zone: timezone, setZone: false });
  if (iso.isValid) return iso.toJSDate();
  // chrono is large, and only natural language needs it.
  const chrono = await import('chrono-node');
  const offset = DateTime.fromJSDate(now, { zone: timezone }).offset;
  const results = chrono.parse(trimmed, { instant: now, timezone: offset }, { forwardDate: true });
  const first = results[0];
  // Text that only partly reads as a date ("friday-ish plans") is refused rather than guessed.
  if (!first || first.index !== 0 || first.text.length < trimmed.replace(/[.!]+$/, '').length) return null;
  const start = first.start;
  if (start.isCertain('timezoneOffset')) return start.date();
  // Rebuild from the components in the blog's zone so that a daylight-saving change between now and
  // then is honoured.
  const local = DateTime.fromObject(
    {
      year: start.get('year') ?? undefined,
      month: start.get('month') ?? undefined,
      day: start.get('day') ?? undefined,
      hour: start.get('hour') ?? 0,
      minute: start.get('minute') ?? 0,
      second: start.get('second') ?? 0,
      millisecond: start.get('millisecond') ?? 0,
    },
    { zone: timezone },
  );
  return local.isValid ? local.toJSDate() : start.date();
}

/** Like parseHumanDate, but a usage error naming the text and the flag when it cannot be read. */
export async function requireHumanDate(text: string, now: Date, timezone: string, flag: string): Promise<Date> {
  const date = await parseHumanDate(text, now, timezone);
  if (!date) {
    throw new UsageError(
      `Cannot read the date "${text}" given to ${flag}: use ISO 8601 (2026-12-01T09:00) or words like "tomorrow 9am".`,
    );
  }
  return date;
}

/** An ISO 8601 UTC instant shown in the blog's timezone, e.g. "2026-12-01 09:00". */
export function formatDate(iso: string, timezone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(timezone).toFormat('yyyy-LL-dd HH:mm');
}

/** The clock: TERMPRESS_NOW when set (ISO 8601), else the system time. */
export function clockFromEnv(env: NodeJS.ProcessEnv): () => Date {
  const fixed = env.TERMPRESS_NOW;
  if (!fixed) return () => new Date();
  const parsed = DateTime.fromISO(fixed, { zone: 'utc' });
  if (!parsed.isValid) throw new UsageError(`TERMPRESS_NOW="${fixed}" is not an ISO 8601 date; unset it or fix it.`);
  const date = parsed.toJSDate();
  return () => new Date(date);
}
