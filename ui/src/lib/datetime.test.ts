import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatDate,
  formatInstant,
  formatTimeRange,
  isDate,
  isTime,
  localDateOf,
  localTimeOf,
  mondayOf,
  todayInPracticeZone,
  weekdayOf,
} from './datetime';

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
