import { DateTime } from 'luxon';
import { StorageError, UsageError } from '../core/errors.js';
import { setCommand, timezoneProblem } from '../core/setting-rules.js';

/** A date shown to readers: the text in the blog's language and the machine-readable instant. */
export interface ShownDate {
  display: string;
  iso: string;
}

/** Calendar parts of an instant in the blog's timezone, as permalinks and date archives use them. */
export interface CalendarParts {
  year: string;
  month: string;
  day: string;
}

/** Formats the UTC instants of the blog files for display in the blog's timezone and language. */
export interface DateFormatter {
  date(iso: string): ShownDate;
  dateTime(iso: string): ShownDate;
  parts(iso: string): CalendarParts;
  monthName(year: string, month: string): string;
}

/** A formatter for the blog's timezone and language; an unknown timezone is a usage error. */
export function createDateFormatter(timezone: string, language: string): DateFormatter {
  const problem = timezoneProblem(timezone);
  if (problem) throw new UsageError(`${problem}; set it with: ${setCommand('timezone', 'Europe/Paris')}`);
  const locale = canonicalLocale(language);
  // Luxon re-parses and re-zones on every call; a post's dates are asked for by several pages.
  const cache = new Map<string, DateTime>();
  const at = (iso: string): DateTime => {
    let value = cache.get(iso);
    if (!value) {
      const parsed = DateTime.fromISO(iso, { zone: 'utc' });
      if (!parsed.isValid) throw new StorageError(`Unreadable date "${iso}" in a post; fix the post file and build again.`);
      value = parsed.setZone(timezone).setLocale(locale);
      cache.set(iso, value);
    }
    return value;
  };
  const machine = (value: DateTime): string => value.toISO({ suppressMilliseconds: true }) ?? '';
  return {
    date: (iso) => {
      const value = at(iso);
      return { display: value.toLocaleString(DateTime.DATE_FULL), iso: machine(value) };
    },
    dateTime: (iso) => {
      const value = at(iso);
      return { display: value.toLocaleString(DateTime.DATETIME_MED), iso: machine(value) };
    },
    parts: (iso) => {
      const value = at(iso);
      return { year: value.toFormat('yyyy'), month: value.toFormat('MM'), day: value.toFormat('dd') };
    },
    monthName: (year, month) =>
      DateTime.fromObject({ year: Number(year), month: Number(month), day: 1 }, { zone: 'utc', locale }).toFormat('LLLL yyyy'),
  };
}

/** The language setting as a BCP 47 tag Intl accepts ("en_US" is common in WordPress imports). */
function canonicalLocale(language: string): string {
  try {
    return Intl.getCanonicalLocales(language.replace(/_/g, '-'))[0] ?? 'en';
  } catch {
    return 'en';
  }
}
