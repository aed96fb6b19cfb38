/**
 * Dates and times: the one place Circle writes them for people.
 *
 * Rust stores instants in UTC (RFC 3339) and takes local dates ("YYYY-MM-DD")
 * and times ("HH:MM") in the practice's IANA zone (`SignedInInfo.timezone`).
 * These helpers turn one into the other with `Intl.DateTimeFormat`, so
 * 18:00 in London reads 18:00 on both sides of a daylight-saving change,
 * whatever zone this computer itself is in.
 *
 * Everything shown is written in the practice's locale (a practice setting,
 * `displayLocale()`; each function also takes a locale, for tests and
 * previews): "Tue 3 Mar, 18:00" in en-IE and en-GB, "Tue, Mar 3, 6:00 PM" in
 * en-US, "Di. 3. März, 18:00" in de-DE. Times use the locale's own clock:
 * 24-hour where the locale is (en-IE, en-GB, de-DE, fr-FR …), 12-hour where
 * it is not (en-US, en-CA, en-AU). The machine forms ("YYYY-MM-DD", "HH:MM")
 * stay as they are for Rust and for form values.
 */
import { displayLocale } from './locale.svelte';

/** Formatters are costly to make; one per locale, zone and purpose is enough. */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(
  locale: string,
  tz: string,
  purpose: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${purpose}|${locale}|${tz}`;
  let found = cache.get(key);
  if (!found) {
    try {
      found = new Intl.DateTimeFormat(locale, { ...options, timeZone: tz, numberingSystem: 'latn' });
    } catch {
      // An unknown zone or locale: the practice's own would never be one.
      found = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC', numberingSystem: 'latn' });
    }
    cache.set(key, found);
  }
  return found;
}

/** Year, month, day, hour and minute of `date` in `tz`, as plain numbers. */
function numericParts(date: Date, tz: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute', number> {
  const parts = formatter('en-US', tz, 'numeric', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value ?? '0');
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    // Some engines say "24" for midnight even with h23.
    hour: get('hour') % 24,
    minute: get('minute'),
  };
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function parseInstant(instant: string | Date): Date | null {
  const date = instant instanceof Date ? instant : new Date(instant);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Parses "YYYY-MM-DD" into a UTC-midnight Date, or null. */
function parseDate(date: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const value = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(value.getTime()) ? null : value;
}

// ---------------------------------------------------------------- the locale's clock

/** Whether `locale` writes times on a 12-hour clock (en-US: "6:00 PM"). */
export function usesTwelveHourClock(locale: string = displayLocale()): boolean {
  const cycle = formatter(locale, 'UTC', 'cycle', { hour: 'numeric' }).resolvedOptions().hourCycle;
  return cycle === 'h12' || cycle === 'h11';
}

/** Hour and minute, as the locale's clock writes them ("18:00", "09:05", "6:00 PM"). */
function clockOptions(locale: string): Intl.DateTimeFormatOptions {
  return usesTwelveHourClock(locale)
    ? { hour: 'numeric', minute: '2-digit' }
    : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
}

/**
 * Joins Intl's parts, without a comma straight between the weekday and the
 * day number: "Tue 3 Mar" (not "Tue, 3 Mar"), "Di. 3. März"; the US order
 * keeps its own "Tue, Mar 3".
 */
function joinParts(parts: Intl.DateTimeFormatPart[]): string {
  return parts
    .map((part, i) =>
      part.type === 'literal' &&
      parts[i - 1]?.type === 'weekday' &&
      parts[i + 1]?.type === 'day' &&
      part.value.trim() === ','
        ? ' '
        : part.value,
    )
    .join('');
}

function writeDate(
  date: Date,
  tz: string,
  locale: string,
  purpose: string,
  options: Intl.DateTimeFormatOptions,
): string {
  return joinParts(formatter(locale, tz, purpose, options).formatToParts(date));
}

const DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
const DAY_YEAR: Intl.DateTimeFormatOptions = { ...DAY, year: 'numeric' };
const DATE_YEAR: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };

// ---------------------------------------------------------------- instants

/** `zone` if Intl knows it, else this computer's own zone. */
export function localTimeZoneOr(zone: string | null | undefined): string {
  if (zone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return zone;
    } catch {
      // Falls through to this computer's zone.
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The local date of `instant` in `tz`, "YYYY-MM-DD". */
export function localDateOf(instant: string | Date, tz: string): string {
  const date = parseInstant(instant);
  if (!date) return '';
  const p = numericParts(date, tz);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The local time of `instant` in `tz`, "HH:MM" (24-hour; for forms and Rust). */
export function localTimeOf(instant: string | Date, tz: string): string {
  const date = parseInstant(instant);
  if (!date) return '';
  const p = numericParts(date, tz);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** Today's date in the practice's zone, "YYYY-MM-DD". */
export function todayInPracticeZone(tz: string, now: Date = new Date()): string {
  return localDateOf(now, tz);
}

/** The time now in the practice's zone, "HH:MM". */
export function nowInPracticeZone(tz: string, now: Date = new Date()): string {
  return localTimeOf(now, tz);
}

/** "Tue 3 Mar, 18:00": an instant as the practice's clock and calendar show it. */
export function formatInstant(instant: string | Date, tz: string, locale: string = displayLocale()): string {
  const date = parseInstant(instant);
  if (!date) return String(instant);
  return `${writeDate(date, tz, locale, 'day', DAY)}, ${formatInstantTime(date, tz, locale)}`;
}

/** "Tue 3 Mar 2026, 18:00": as `formatInstant`, with the year (the audit trail, old notes). */
export function formatInstantWithYear(
  instant: string | Date,
  tz: string,
  locale: string = displayLocale(),
): string {
  const date = parseInstant(instant);
  if (!date) return String(instant);
  return `${writeDate(date, tz, locale, 'dayYear', DAY_YEAR)}, ${formatInstantTime(date, tz, locale)}`;
}

/** "18:00" (or "6:00 PM"): the time of an instant on the practice's clock. */
export function formatInstantTime(
  instant: string | Date,
  tz: string,
  locale: string = displayLocale(),
): string {
  const date = parseInstant(instant);
  if (!date) return String(instant);
  return formatter(locale, tz, 'clock', clockOptions(locale)).format(date);
}

/** "18:00–19:30" (or "6:00 PM–7:30 PM"): a start and end in the practice's zone. */
export function formatTimeRange(
  startsAt: string,
  endsAt: string,
  tz: string,
  locale: string = displayLocale(),
): string {
  return `${formatInstantTime(startsAt, tz, locale)}–${formatInstantTime(endsAt, tz, locale)}`;
}

// ---------------------------------------------------------------- local dates and times

/** "Tue 3 Mar" for a local date "YYYY-MM-DD" (a calendar day has no zone). */
export function formatDate(date: string, locale: string = displayLocale()): string {
  const parsed = parseDate(date);
  return parsed ? writeDate(parsed, 'UTC', locale, 'day', DAY) : date;
}

/** "Tue 3 Mar 2026": a local date with its weekday and year (series run for years). */
export function formatDayWithYear(date: string, locale: string = displayLocale()): string {
  const parsed = parseDate(date);
  return parsed ? writeDate(parsed, 'UTC', locale, 'dayYear', DAY_YEAR) : date;
}

/** "3 Mar 1988" ("Mar 3, 1988" in en-US): a date where the year matters, no weekday (a birthday). */
export function formatDateWithYear(date: string, locale: string = displayLocale()): string {
  const parsed = parseDate(date);
  return parsed ? writeDate(parsed, 'UTC', locale, 'dateYear', DATE_YEAR) : date;
}

/** "Mon 25" ("Mo. 25" in de-DE): a day tab under a heading that names the month. */
export function formatWeekdayAndDay(date: string, locale: string = displayLocale()): string {
  const parsed = parseDate(date);
  if (!parsed) return date;
  const parts = formatter(locale, 'UTC', 'day', DAY).formatToParts(parsed);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((part) => part.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')}`;
}

/** "3 Mar" ("Mar 3" in en-US): a short day for chart axes. */
export function formatDayMonth(date: string, locale: string = displayLocale()): string {
  const parsed = parseDate(date);
  return parsed
    ? writeDate(parsed, 'UTC', locale, 'dayMonth', { day: 'numeric', month: 'short' })
    : date;
}

/** "18:00" (or "6:00 PM") for a local "HH:MM" as the practice says it. */
export function formatTime(time: string, locale: string = displayLocale()): string {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return time;
  const at = new Date(Date.UTC(2000, 0, 1, Number(match[1]), Number(match[2])));
  return formatter(locale, 'UTC', 'clock', clockOptions(locale)).format(at);
}

/** "Tue 3 Mar, 11:00" for a local date and time as the practice says them. */
export function formatLocal(date: string, time: string, locale: string = displayLocale()): string {
  return `${formatDate(date, locale)}, ${formatTime(time, locale)}`;
}

/**
 * A weekday's name, 0 = Monday … 6 = Sunday: "Monday" (long), "Mon"
 * (short), in the locale's words ("Montag" in de-DE).
 */
export function weekdayName(
  weekday: number,
  width: 'long' | 'short' = 'long',
  locale: string = displayLocale(),
): string {
  // 1 January 2001 was a Monday.
  const day = new Date(Date.UTC(2001, 0, 1 + (((weekday % 7) + 7) % 7)));
  return formatter(locale, 'UTC', `weekday-${width}`, { weekday: width }).format(day);
}

/** The seven weekday names, Monday first. */
export function weekdayNames(
  width: 'long' | 'short' = 'long',
  locale: string = displayLocale(),
): string[] {
  return [0, 1, 2, 3, 4, 5, 6].map((day) => weekdayName(day, width, locale));
}

export type DatePart = 'day' | 'month' | 'year';

/** The order the locale writes a date's numbers in: day, month, year in en-IE; month first in en-US. */
export function dateOrder(locale: string = displayLocale()): DatePart[] {
  return formatter(locale, 'UTC', 'numericDate', { day: '2-digit', month: '2-digit', year: 'numeric' })
    .formatToParts(new Date(Date.UTC(2001, 10, 22)))
    .map((part) => part.type)
    .filter((type): type is DatePart => type === 'day' || type === 'month' || type === 'year');
}

/** "dd/mm/yyyy" (en-IE), "mm/dd/yyyy" (en-US), "dd.mm.yyyy" (de-DE): how to type a date. */
export function datePattern(locale: string = displayLocale()): string {
  const words: Record<DatePart, string> = { day: 'dd', month: 'mm', year: 'yyyy' };
  return formatter(locale, 'UTC', 'numericDate', { day: '2-digit', month: '2-digit', year: 'numeric' })
    .formatToParts(new Date(Date.UTC(2001, 10, 22)))
    .map((part) =>
      part.type === 'day' || part.type === 'month' || part.type === 'year'
        ? words[part.type]
        : part.value,
    )
    .join('');
}

// ---------------------------------------------------------------- calendar arithmetic

/** The date `days` after (or before, when negative) a "YYYY-MM-DD" date. */
export function addDays(date: string, days: number): string {
  const parsed = parseDate(date);
  if (!parsed) return date;
  parsed.setUTCDate(parsed.getUTCDate() + days);
  return parsed.toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday (as `AvailabilityBlock.weekday` counts). */
export function weekdayOf(date: string): number {
  const parsed = parseDate(date);
  if (!parsed) return 0;
  return (parsed.getUTCDay() + 6) % 7;
}

/** The Monday on or before a "YYYY-MM-DD" date. */
export function mondayOf(date: string): string {
  return addDays(date, -weekdayOf(date));
}

/** Whether `value` is a real "YYYY-MM-DD" date. */
export function isDate(value: string): boolean {
  const parsed = parseDate(value);
  return parsed !== null && parsed.toISOString().slice(0, 10) === value;
}

/** Whether `value` is a 24-hour "HH:MM" time. */
export function isTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/** Weekday names, Monday first, as the availability editor lists them. */
export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
