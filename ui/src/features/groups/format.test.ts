import { describe, expect, it } from 'vitest';
import {
  acceptOutcomeText,
  completionDetail,
  completionText,
  enrollOutcomeText,
  exceptionWord,
  sessionLine,
  wholeNumber,
} from './format';
import { ZONE, completion, enrollment, groupSession, waiting } from './testing';

describe('what the Groups screen says', () => {
  it('reports an enrollment: booked sessions, or the waitlist place', () => {
    const active = enrollment(1, 101, 'Ada Brennan');
    expect(enrollOutcomeText({ enrollment: active, sessionsBooked: 12 }, false)).toBe(
      'Enrolled; booked into 12 sessions.',
    );
    expect(enrollOutcomeText({ enrollment: active, sessionsBooked: 1 }, false)).toBe(
      'Enrolled; booked into 1 session.',
    );
    const queued = waiting(2, 102, 'Bo Chen', 1);
    expect(enrollOutcomeText({ enrollment: queued, sessionsBooked: 0 }, false)).toBe(
      'The group is full: added to the waitlist, place 1.',
    );
    expect(enrollOutcomeText({ enrollment: queued, sessionsBooked: 0 }, true)).toBe(
      'Added to the waitlist, place 1.',
    );
  });

  it('reports a seat taken from the waitlist', () => {
    const outcome = { enrollment: enrollment(2, 102, 'Bo Chen'), sessionsBooked: 9 };
    expect(acceptOutcomeText('Bo Chen', outcome)).toBe(
      'Bo Chen now has a seat: booked into 9 remaining sessions.',
    );
  });

  it('says completion as "9 of 12 attended" with the absences', () => {
    expect(completionText(completion(101))).toBe('9 of 12 attended (1 excused, 2 unexcused)');
    expect(completionDetail(completion(101, { late: 2, leftEarly: 1, unrecorded: 3 }))).toBe(
      '2 late, 1 left early, 3 not recorded yet',
    );
    expect(completionDetail(completion(101, { late: 0 }))).toBe('');
  });

  it('describes a session in the practice zone, with its year', () => {
    // 5 Feb 2030 is a Tuesday; Dublin is on UTC in winter.
    const s = groupSession(40, 5, '2030-02-05T18:00:00Z', { roomName: 'Room A' });
    expect(sessionLine(s, ZONE)).toBe('Session 5 · Tue 5 Feb 2030, 18:00–19:30 · Room A · 10 booked');
    expect(exceptionWord(s)).toBeNull();
    expect(exceptionWord({ ...s, isException: true })).toBe('Moved');
    expect(exceptionWord({ ...s, isException: true, status: 'cancelled' })).toBe('Cancelled');
  });

  it('accepts only whole numbers', () => {
    expect(wholeNumber(' 10 ')).toBe(10);
    expect(wholeNumber('ten')).toBeNull();
    expect(wholeNumber('1.5')).toBeNull();
    expect(wholeNumber('')).toBeNull();
  });
});
