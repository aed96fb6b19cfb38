import { describe, expect, it } from 'vitest';
import { attendanceSessions, currentSeriesId, gridWindow, splitSessions } from './sessions';
import { ZONE, groupSession } from './testing';

/** Ten years of weekly sessions from 2025-01-07 (Tuesdays, 18:00 UTC). */
function decade() {
  const start = Date.parse('2025-01-07T18:00:00Z');
  return Array.from({ length: 520 }, (_, i) =>
    groupSession(i + 1, i + 1, new Date(start + i * 7 * 86_400_000).toISOString().replace('.000Z', 'Z')),
  );
}

describe('sessions on screen', () => {
  it('splits upcoming (soonest first) from past (latest first); one under way is upcoming', () => {
    const all = decade();
    const now = new Date('2030-02-05T18:30:00Z'); // during a session
    const { upcoming, past } = splitSessions(all, now);
    expect(upcoming[0].startsAt).toBe('2030-02-05T18:00:00Z');
    expect(past[0].startsAt).toBe('2030-01-29T18:00:00Z');
    expect(upcoming.length + past.length).toBe(520);
  });

  it('picks the series of the next scheduled session, else the latest', () => {
    const a = groupSession(1, 1, '2030-01-01T18:00:00Z', { seriesId: 1 });
    const b = groupSession(2, 1, '2030-03-01T18:00:00Z', { seriesId: 2 });
    expect(currentSeriesId([a, b], new Date('2030-02-01T00:00:00Z'))).toBe(2);
    expect(currentSeriesId([a, b], new Date('2031-01-01T00:00:00Z'))).toBe(2);
    expect(currentSeriesId([a], new Date('2031-01-01T00:00:00Z'))).toBe(1);
    expect(currentSeriesId([], new Date())).toBeNull();
  });

  it("offers today's session for check-in and leaves out cancelled ones", () => {
    const today = groupSession(1, 1, '2030-02-05T18:00:00Z');
    const cancelled = groupSession(2, 2, '2030-01-29T18:00:00Z', { status: 'cancelled' });
    const tomorrow = groupSession(3, 3, '2030-02-06T18:00:00Z');
    expect(attendanceSessions([tomorrow, cancelled, today], ZONE, '2030-02-05')).toEqual([today]);
  });

  it('pages the grid six sessions at a time, never showing fewer than exist at the start', () => {
    const held = Array.from({ length: 14 }, (_, i) => i + 1);
    expect(gridWindow(held, 0)).toEqual([9, 10, 11, 12, 13, 14]);
    expect(gridWindow(held, 1)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(gridWindow(held, 2)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(gridWindow([1, 2], 0)).toEqual([1, 2]);
  });
});
