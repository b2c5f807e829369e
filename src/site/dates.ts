import { DateTime } from 'luxon';
import { StorageError, UsageError } from '../core/errors.js';
import { timezoneProblem, wallTime } from '../core/dates.js';
import { setCommand } from '../core/setting-rules.js';

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
  // The language is read when a date is shown, not when one is only placed (an address, an archive).
  let known: string | undefined;
  const locale = () => (known ??= canonicalLocale(language));
  // Luxon re-parses and re-zones on every call; a post's dates are asked for by several pages.
  const cache = new Map<string, DateTime>();
  const at = (iso: string): DateTime => {
    let value = cache.get(iso);
    if (!value) {
      const parsed = DateTime.fromISO(iso, { zone: 'utc' });
      if (!parsed.isValid) throw new StorageError(`Unreadable date "${iso}" in a post; fix the post file and build again.`);
      value = parsed.setZone(timezone).setLocale(locale());
      cache.set(iso, value);
    }
    return value;
  };
  const machine = (value: DateTime): string => value.toISO({ suppressMilliseconds: true }) ?? '';
  // A post's date is shown on every list that holds it: each text is made once.
  const shown = new Map<string, ShownDate>();
  const once = (key: string, make: () => ShownDate): ShownDate => {
    let value = shown.get(key);
    if (!value) shown.set(key, (value = make()));
    return value;
  };
  return {
    date: (iso) =>
      once(`d${iso}`, () => {
        const value = at(iso);
        return { display: value.toLocaleString(DateTime.DATE_FULL), iso: machine(value) };
      }),
    dateTime: (iso) =>
      once(`t${iso}`, () => {
        const value = at(iso);
        return { display: value.toLocaleString(DateTime.DATETIME_MED), iso: machine(value) };
      }),
    // Calendar parts are asked of every post by every build (its address, its month): they are had
    // without making a DateTime, in the Gregorian calendar with Latin digits as luxon's yyyy/MM/dd.
    parts: (iso) => {
      const time = Date.parse(iso);
      if (Number.isNaN(time)) at(iso);
      const local = wallTime(new Date(time), timezone);
      return local ? { year: local.year, month: local.month, day: local.day } : { year: '', month: '', day: '' };
    },
    monthName: (year, month) =>
      DateTime.fromObject({ year: Number(year), month: Number(month), day: 1 }, { zone: 'utc', locale: locale() }).toFormat('LLLL yyyy'),
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
