import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateOrder,
  datePattern,
  formatDate,
  formatDateWithYear,
  formatDayWithYear,
  formatInstant,
  formatInstantTime,
  formatInstantWithYear,
  formatLocal,
  formatTime,
  formatTimeRange,
  isDate,
  isTime,
  localDateOf,
  localTimeOf,
  mondayOf,
  todayInPracticeZone,
  usesTwelveHourClock,
  weekdayName,
  weekdayNames,
  weekdayOf,
} from './datetime';
import { setDisplayLocale } from './locale.svelte';

describe('datetime in the practice zone', () => {
  it('keeps 18:00 at 18:00 in London across the spring change', () => {
    // 31 March 2030 is the last Sunday of March: GMT before, BST after.
    expect(localTimeOf('2030-03-26T18:00:00Z', 'Europe/London')).toBe('18:00');
    expect(localTimeOf('2030-04-02T17:00:00Z', 'Europe/London')).toBe('18:00');
    expect(formatInstant('2030-03-26T18:00:00Z', 'Europe/London')).toMatch(/^Tue 26 Mar, 18:00$/);
    expect(formatInstant('2030-04-02T17:00:00Z', 'Europe/London')).toMatch(/^Tue 2 Apr, 18:00$/);
  });

  it('uses the practice zone, not the computer zone, for the date', () => {
    // 23:30 UTC is already the next day in Berlin and still the same day in New York.
    expect(localDateOf('2030-06-10T23:30:00Z', 'Europe/Berlin')).toBe('2030-06-11');
    expect(localDateOf('2030-06-10T23:30:00Z', 'America/New_York')).toBe('2030-06-10');
    expect(todayInPracticeZone('Pacific/Auckland', new Date('2030-06-10T13:00:00Z'))).toBe(
      '2030-06-11',
    );
  });

  it('shows midnight as 00:00 and ranges with an en dash', () => {
    expect(localTimeOf('2030-01-01T00:05:00Z', 'UTC')).toBe('00:05');
    expect(formatTimeRange('2030-01-01T09:00:00Z', '2030-01-01T10:30:00Z', 'UTC')).toBe(
      '09:00–10:30',
    );
  });

  it('does calendar arithmetic on plain dates', () => {
    expect(formatDate('2030-02-19')).toBe('Tue 19 Feb');
    expect(addDays('2030-03-30', 2)).toBe('2030-04-01');
    expect(weekdayOf('2030-03-25')).toBe(0);
    expect(weekdayOf('2030-03-31')).toBe(6);
    expect(mondayOf('2030-03-31')).toBe('2030-03-25');
    expect(mondayOf('2030-03-25')).toBe('2030-03-25');
    expect(isDate('2030-02-30')).toBe(false);
    expect(isDate('2030-02-28')).toBe(true);
    expect(isTime('24:00')).toBe(false);
    expect(isTime('09:30')).toBe(true);
  });
});

/** Intl writes some spaces as no-break spaces ("6:00 PM"): compare them as spaces. */
function plain(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

describe('one formatter in the practice locale', () => {
  const evening = '2030-03-05T18:00:00Z';
  const morning = '2030-03-05T09:05:00Z';

  it('writes en-IE as Dublin does: day before month, a 24-hour clock', () => {
    const l = 'en-IE';
    expect(formatDate('2030-03-05', l)).toBe('Tue 5 Mar');
    expect(formatDayWithYear('2030-03-05', l)).toBe('Tue 5 Mar 2030');
    expect(formatDateWithYear('1988-03-15', l)).toBe('15 Mar 1988');
    expect(formatInstant(evening, 'Europe/Dublin', l)).toBe('Tue 5 Mar, 18:00');
    expect(formatInstantWithYear(evening, 'Europe/Dublin', l)).toBe('Tue 5 Mar 2030, 18:00');
    expect(formatInstantTime(morning, 'Europe/Dublin', l)).toBe('09:05');
    expect(formatTime('00:30', l)).toBe('00:30');
    expect(formatTimeRange(evening, '2030-03-05T19:30:00Z', 'UTC', l)).toBe('18:00–19:30');
    expect(usesTwelveHourClock(l)).toBe(false);
    expect(weekdayName(0, 'long', l)).toBe('Monday');
    expect(weekdayName(6, 'short', l)).toBe('Sun');
    expect(dateOrder(l)).toEqual(['day', 'month', 'year']);
    expect(datePattern(l)).toBe('dd/mm/yyyy');
  });

  it('writes en-US month first, on a 12-hour clock', () => {
    const l = 'en-US';
    expect(formatDate('2030-03-05', l)).toBe('Tue, Mar 5');
    expect(formatDateWithYear('1988-03-15', l)).toBe('Mar 15, 1988');
    expect(plain(formatInstant(evening, 'America/Chicago', l))).toBe('Tue, Mar 5, 12:00 PM');
    expect(plain(formatInstantTime(morning, 'UTC', l))).toBe('9:05 AM');
    expect(plain(formatTime('18:00', l))).toBe('6:00 PM');
    expect(plain(formatTime('00:30', l))).toBe('12:30 AM');
    expect(plain(formatTimeRange(evening, '2030-03-05T19:30:00Z', 'UTC', l))).toBe(
      '6:00 PM–7:30 PM',
    );
    expect(usesTwelveHourClock(l)).toBe(true);
    expect(weekdayName(0, 'long', l)).toBe('Monday');
    expect(dateOrder(l)).toEqual(['month', 'day', 'year']);
    expect(datePattern(l)).toBe('mm/dd/yyyy');
  });

  it('writes de-DE in German words, with dots, on a 24-hour clock', () => {
    const l = 'de-DE';
    expect(formatDate('2030-03-05', l)).toBe('Di. 5. März');
    expect(formatDateWithYear('1988-03-15', l)).toBe('15. März 1988');
    expect(formatInstant(evening, 'Europe/Berlin', l)).toBe('Di. 5. März, 19:00');
    expect(formatInstantTime(morning, 'UTC', l)).toBe('09:05');
    expect(formatTime('18:00', l)).toBe('18:00');
    expect(usesTwelveHourClock(l)).toBe(false);
    expect(weekdayName(0, 'long', l)).toBe('Montag');
    expect(weekdayNames('short', l)).toEqual(['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So']);
    expect(dateOrder(l)).toEqual(['day', 'month', 'year']);
    expect(datePattern(l)).toBe('dd.mm.yyyy');
  });

  it('follows the practice setting when no locale is given', () => {
    try {
      setDisplayLocale('en-US');
      expect(plain(formatLocal('2030-03-05', '18:00'))).toBe('Tue, Mar 5, 6:00 PM');
      setDisplayLocale('de-DE');
      expect(formatLocal('2030-03-05', '18:00')).toBe('Di. 5. März, 18:00');
      setDisplayLocale('not a locale');
      expect(formatLocal('2030-03-05', '18:00')).toBe('Tue 5 Mar, 18:00');
    } finally {
      setDisplayLocale(null);
    }
  });

  it('shows what it cannot read as it is', () => {
    expect(formatDate('someday', 'en-IE')).toBe('someday');
    expect(formatTime('6pm', 'en-IE')).toBe('6pm');
    expect(formatInstant('not a time', 'UTC', 'en-IE')).toBe('not a time');
  });
});
