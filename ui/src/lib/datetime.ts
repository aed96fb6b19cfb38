/**
 * Dates and times in the practice's zone.
 *
 * Rust stores instants in UTC (RFC 3339) and takes local dates ("YYYY-MM-DD")
 * and times ("HH:MM") in the practice's IANA zone (`SignedInInfo.timezone`).
 * These helpers turn one into the other with `Intl.DateTimeFormat`, so
 * 18:00 in London reads 18:00 on both sides of a daylight-saving change,
 * whatever zone this computer itself is in.
 *
 * Shown dates take the shape "Tue 3 Mar, 18:00" (weekday, day, month, 24-hour
 * time); the weekday and month names come from the person's locale.
 */

/** Formatters are costly to make; one per zone and purpose is enough. */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let found = cache.get(key);
  if (!found) {
    found = make();
    cache.set(key, found);
  }
  return found;
}

/** Year, month, day, hour and minute of `date` in `tz`, as plain numbers. */
function numericParts(date: Date, tz: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute', number> {
  const parts = formatter(`numeric|${tz}`, () =>
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      numberingSystem: 'latn',
    }),
  ).formatToParts(date);
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

/** "Tue 3 Mar" for a calendar day given as a UTC-midnight Date. */
function dayLabel(date: Date, tz: string): string {
  const parts = formatter(`day|${tz}`, () =>
    new Intl.DateTimeFormat(undefined, {
      timeZone: tz,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      numberingSystem: 'latn',
    }),
  ).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((part) => part.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')}`.replace(/\.(?= |$)/g, '');
}

/** The local date of `instant` in `tz`, "YYYY-MM-DD". */
export function localDateOf(instant: string | Date, tz: string): string {
  const date = parseInstant(instant);
  if (!date) return '';
  const p = numericParts(date, tz);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The local time of `instant` in `tz`, "HH:MM" (24-hour). */
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
export function formatInstant(instant: string | Date, tz: string): string {
  const date = parseInstant(instant);
  if (!date) return String(instant);
  return `${dayLabel(date, tz)}, ${localTimeOf(date, tz)}`;
}

/** "18:00–19:30": a start and end in the practice's zone. */
export function formatTimeRange(startsAt: string, endsAt: string, tz: string): string {
  return `${localTimeOf(startsAt, tz)}–${localTimeOf(endsAt, tz)}`;
}

/** Parses "YYYY-MM-DD" into a UTC-midnight Date, or null. */
function parseDate(date: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const value = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(value.getTime()) ? null : value;
}

/** "Tue 3 Mar" for a local date "YYYY-MM-DD" (a calendar day has no zone). */
export function formatDate(date: string): string {
  const parsed = parseDate(date);
  return parsed ? dayLabel(parsed, 'UTC') : date;
}

/** "Tue 3 Mar, 11:00" for a local date and time as the practice says them. */
export function formatLocal(date: string, time: string): string {
  return `${formatDate(date)}, ${time}`;
}

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
