import { describe, expect, it } from 'vitest';
import {
  ATTENDANCE_OPTIONS,
  absentLine,
  attendanceInput,
  checkTimes,
  isAttending,
  needsTime,
  recordedText,
  statusTime,
  timesFor,
} from './attendance';

const blank = { arrivedAt: '', leftAt: '' };

describe('attendance words', () => {
  it('offers every status once, in one vocabulary', () => {
    expect(ATTENDANCE_OPTIONS.map((o) => o.label)).toEqual([
      'Present',
      'Late',
      'Left early',
      'Absent (excused)',
      'No-show',
      'Late cancellation',
    ]);
  });

  it('says what is recorded with its times in the practice zone', () => {
    const tz = 'Europe/Dublin';
    const arrived = '2030-01-15T18:20:00Z';
    const left = '2030-01-15T19:05:00Z';
    expect(recordedText({ status: 'late', arrivedAt: arrived, leftAt: null }, tz)).toBe(
      'Late, arrived 18:20',
    );
    expect(recordedText({ status: 'leftEarly', arrivedAt: arrived, leftAt: left }, tz)).toBe(
      'Left early, arrived 18:20, left 19:05',
    );
    expect(recordedText({ status: 'noShow', arrivedAt: null, leftAt: null }, tz)).toBe('No-show');
    expect(statusTime({ status: 'leftEarly', arrivedAt: arrived, leftAt: left }, tz)).toBe('19:05');
    expect(absentLine('Priya Nair', 'cancelledLate')).toBe(
      'Priya Nair: no clinical note (absent — late cancellation)',
    );
  });

  it('knows who attended', () => {
    expect(['present', 'late', 'leftEarly'].every((s) => isAttending(s as 'present'))).toBe(true);
    expect(isAttending('absentExcused')).toBe(false);
    expect(isAttending(null)).toBe(false);
  });
});

describe('attendance times', () => {
  it('asks Late for its arrival and Left early for its leaving (arrival optional)', () => {
    expect(timesFor('present')).toEqual([]);
    expect(timesFor('late')).toEqual([{ field: 'arrivedAt', required: true }]);
    expect(timesFor('leftEarly')).toEqual([
      { field: 'arrivedAt', required: false },
      { field: 'leftAt', required: true },
    ]);
    expect(needsTime('leftEarly')).toBe(true);
    expect(needsTime('noShow')).toBe(false);
  });

  it('finds a missing or malformed time beside its field', () => {
    expect(checkTimes('late', blank)).toEqual({
      field: 'arrivedAt',
      message: 'Enter when they arrived, like 18:10.',
    });
    expect(checkTimes('leftEarly', blank)?.field).toBe('leftAt');
    expect(checkTimes('leftEarly', { arrivedAt: '6pm', leftAt: '19:05' })).toEqual({
      field: 'arrivedAt',
      message: 'Enter a time like 18:10.',
    });
    expect(checkTimes('present', blank)).toBeNull();
    expect(checkTimes('leftEarly', { arrivedAt: '', leftAt: '19:05' })).toBeNull();
  });

  it('puts leaving before arriving beside the leaving time', () => {
    const problem = checkTimes('leftEarly', { arrivedAt: '18:40', leftAt: '18:30' });
    expect(problem?.field).toBe('leftAt');
    expect(problem?.message).toContain('after 18:40');
    expect(checkTimes('leftEarly', { arrivedAt: '18:40', leftAt: '18:40' })?.field).toBe('leftAt');
    expect(checkTimes('leftEarly', { arrivedAt: '18:20', leftAt: '19:05' })).toBeNull();
  });

  it('sends only the times the status takes', () => {
    const typed = { arrivedAt: ' 18:20 ', leftAt: '19:05' };
    expect(attendanceInput(4, 7, 'late', typed)).toEqual({
      sessionId: 4,
      clientId: 7,
      status: 'late',
      arrivedAt: '18:20',
      leftAt: null,
    });
    expect(attendanceInput(4, 7, 'leftEarly', { arrivedAt: '', leftAt: '19:05' })).toMatchObject({
      arrivedAt: null,
      leftAt: '19:05',
    });
    expect(attendanceInput(4, 7, 'present', typed)).toMatchObject({ arrivedAt: null, leftAt: null });
  });
});
