import { UsageError } from './errors.js';

// luxon is loaded only to read the dates people type: showing a stored date needs only the clocks of a
// timezone, which Intl gives (and a Date itself, for UTC). Loading luxon, and the first use of Intl (its
// data for the locale and zone), each cost a command a good part of its start.

/** Whether a timezone name is one the blog can use (IANA names such as Europe/Paris, or UTC). */
export function isValidTimezone(zone: string): boolean {
  if (UTC_NAMES.has(zone)) return true;
  if (zone === '') return false;
  try {
    clockOf(zone);
    return true;
  } catch {
    return false;
  }
}

/** The names of UTC read without Intl. */
const UTC_NAMES = new Set(['UTC', 'Etc/UTC']);

/** An instant's date and time on the clocks of a timezone, as zero-padded digits (Gregorian, 24-hour). */
export interface WallTime {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** The clock of a timezone; a name Intl does not know throws a RangeError. */
function clockOf(zone: string): Intl.DateTimeFormat {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    clocks.set(zone, clock);
  }
  return clock;
}

const two = (n: number) => String(n).padStart(2, '0');

/** An instant's date and time in a timezone, or null when the instant or the timezone is not one. */
export function wallTime(instant: Date, timezone: string): WallTime | null {
  const time = instant.getTime();
  if (Number.isNaN(time)) return null;
  if (UTC_NAMES.has(timezone)) {
    return {
      year: String(instant.getUTCFullYear()).padStart(4, '0'),
      month: two(instant.getUTCMonth() + 1),
      day: two(instant.getUTCDate()),
      hour: two(instant.getUTCHours()),
      minute: two(instant.getUTCMinutes()),
    };
  }
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = clockOf(timezone).formatToParts(time);
  } catch {
    return null;
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { year: part('year').padStart(4, '0'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

/** What a date shows when the date or the timezone cannot be read (as luxon, which termpress used, shows it). */
const INVALID = 'Invalid DateTime';

/** What is wrong with a time zone's name: it must be an IANA name (Europe/Paris) or UTC. */
export function timezoneProblem(zone: string): string | null {
  return isValidTimezone(zone) ? null : `The timezone "${zone}" is not a known IANA zone such as Europe/Paris, America/New_York or UTC`;
}

/** Refuses a timezone name that is not one, naming it; `fix` says where to set a good one, when that is not obvious. */
export function checkTimezone(zone: string, fix?: string): void {
  const problem = timezoneProblem(zone);
  if (problem) throw new UsageError(`${problem}${fix ? `; ${fix}` : ''}.`);
}

/**
 * How to read a date that leaves things out. A date to schedule at means the next Monday; a date to
 * filter by (--since, --until) means the last one, and a day without a time means its start (since)
 * or its end (until).
 */
export interface DateReading {
  prefer?: 'future' | 'past';
  boundary?: 'start' | 'end';
}

/** The options for a --since filter. */
export const SINCE: DateReading = { prefer: 'past', boundary: 'start' };
/** The options for an --until filter. */
export const UNTIL: DateReading = { prefer: 'past', boundary: 'end' };

/**
 * Reads a date typed by a person: ISO 8601, or natural language ("tomorrow 9am", "next friday 17:00")
 * relative to now, in the blog's timezone unless the text names its own offset. Null when unreadable.
 */
export async function parseHumanDate(text: string, now: Date, timezone: string, reading: DateReading = {}): Promise<Date | null> {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const { DateTime } = await import('luxon');
  // "2026-12-01 09:00", the way termpress writes dates for people, is ISO 8601 with a space for the T.
  const iso = DateTime.fromISO(trimmed.replace(/^(\d{4}-\d{2}-\d{2}) +(?=\d{2}:\d{2})/, '$1T'), { zone: timezone, setZone: false });
  if (iso.isValid) {
    const dayOnly = /^\d{4}-\d{2}(-\d{2})?$/.test(trimmed);
    return (dayOnly && reading.boundary === 'end' ? iso.endOf(trimmed.length === 7 ? 'month' : 'day') : iso).toJSDate();
  }
  // chrono is large, and only natural language needs it.
  const chrono = await import('chrono-node');
  const offset = DateTime.fromJSDate(now, { zone: timezone }).offset;
  const results = chrono.parse(trimmed, { instant: now, timezone: offset });
  const first = results[0];
  // Text that only partly reads as a date ("friday-ish plans") is refused rather than guessed.
  if (!first || first.index !== 0 || first.text.length < trimmed.replace(/[.!]+$/, '').length) return null;
  const start = first.start;
  if (start.isCertain('timezoneOffset')) return start.date();
  // Rebuild from the components in the blog's zone so that a daylight-saving change between now and
  // then is honoured.
  let local = DateTime.fromObject(
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
  // A bare weekday or time names the nearest one in the direction the reading prefers: "friday" to
  // schedule is the coming one, to filter by the last one; "9am" after nine is tomorrow's. chrono's own
  // forwardDate would also move "last monday" forward, so the shift is made here, and never when the
  // text says which ("last", "next", "ago").
  const explicit = /\b(last|next|this|ago|yesterday|today|tomorrow|tonight)\b/i.test(trimmed);
  if (!start.isCertain('day') && !explicit && local.isValid) {
    const step = start.isCertain('weekday') ? { weeks: 1 } : { days: 1 };
    if (reading.prefer !== 'past' && local < DateTime.fromJSDate(now)) local = local.plus(step);
    else if (reading.prefer === 'past' && local > DateTime.fromJSDate(now)) local = local.minus(step);
  }
  // "monday" or "yesterday" as a filter is the whole day, not the hour chrono fills in.
  if (reading.boundary && !start.isCertain('hour')) local = reading.boundary === 'end' ? local.endOf('day') : local.startOf('day');
  return local.isValid ? local.toJSDate() : start.date();
}

/** Like parseHumanDate, but a usage error naming the text and the flag when it cannot be read. */
export async function requireHumanDate(text: string, now: Date, timezone: string, flag: string, reading: DateReading = {}): Promise<Date> {
  const date = await parseHumanDate(text, now, timezone, reading);
  if (!date) {
    throw new UsageError(`Cannot read the date "${text}" given to ${flag}: use ISO 8601 (2026-12-01T09:00) or words like "tomorrow 9am".`);
  }
  return date;
}

/** A stored date (ISO 8601, as every file holds them): a date without a time or an offset is in UTC. */
function storedInstant(iso: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}T[^Z+-]*$/.test(iso) ? `${iso}Z` : iso);
}

/** The calendar day (YYYY-MM-DD) an ISO 8601 instant falls on in a timezone. */
export function localDay(iso: string, timezone: string): string {
  const local = wallTime(storedInstant(iso), timezone);
  return local ? `${local.year}-${local.month}-${local.day}` : INVALID;
}

/** An ISO 8601 UTC instant shown in the blog's timezone, e.g. "2026-12-01 09:00". */
export function formatDate(iso: string, timezone: string): string {
  const local = wallTime(storedInstant(iso), timezone);
  return local ? `${local.year}-${local.month}-${local.day} ${local.hour}:${local.minute}` : INVALID;
}

/** The clock: TERMPRESS_NOW when set (ISO 8601), else the system time. */
export async function clockFromEnv(env: NodeJS.ProcessEnv): Promise<() => Date> {
  const fixed = env.TERMPRESS_NOW;
  if (!fixed) return () => new Date();
  const { DateTime } = await import('luxon');
  const parsed = DateTime.fromISO(fixed, { zone: 'utc' });
  if (!parsed.isValid) throw new UsageError(`TERMPRESS_NOW="${fixed}" is not an ISO 8601 date; unset it or fix it.`);
  const date = parsed.toJSDate();
  return () => new Date(date);
}
