import { describe, expect, it } from 'vitest';
import {
  acceptOutcomeText,
  completionDetail,
  completionText,
  enrollOutcomeText,
  exceptionWord,
  fullSessionsText,
  sessionLine,
  wholeNumber,
} from './format';
import type { EnrollOutcome, Enrollment } from '../../lib/api';
import { ZONE, completion, enrollment, groupSession, waiting } from './testing';

/** What enrolling did, with every session booked that was asked for. */
function outcome(enrolled: Enrollment, sessionsBooked: number): EnrollOutcome {
  return { enrollment: enrolled, sessionsBooked, fullSessions: [] };
}

describe('what the Groups screen says', () => {
  it('reports an enrollment: booked sessions, or the waitlist place', () => {
    const active = enrollment(1, 101, 'Ada Brennan');
    expect(enrollOutcomeText(outcome(active, 12), false)).toBe(
      'Enrolled; booked into 12 sessions.',
    );
    expect(enrollOutcomeText(outcome(active, 1), false)).toBe(
      'Enrolled; booked into 1 session.',
    );
    const queued = waiting(2, 102, 'Bo Chen', 1);
    expect(enrollOutcomeText(outcome(queued, 0), false)).toBe(
      'The group is full: added to the waitlist, place 1.',
    );
    expect(enrollOutcomeText(outcome(queued, 0), true)).toBe(
      'Added to the waitlist, place 1.',
    );
  });

  it('reports a seat taken from the waitlist', () => {
    expect(acceptOutcomeText('Bo Chen', outcome(enrollment(2, 102, 'Bo Chen'), 9))).toBe(
      'Bo Chen now has a seat: booked into 9 remaining sessions.',
    );
  });

  it('names the full sessions a seat did not get', () => {
    const full = (sessionId: number, date: string) => ({
      sessionId,
      date,
      startsAt: `${date}T18:00:00Z`,
    });
    const some = {
      ...outcome(enrollment(2, 102, 'Bo Chen'), 3),
      fullSessions: [full(43, '2030-01-22'), full(44, '2030-01-29')],
    };
    expect(fullSessionsText(some)).toBe(
      'Not booked into 2 full sessions: Tue 22 Jan 2030, Tue 29 Jan 2030.',
    );
    expect(acceptOutcomeText('Bo Chen', some)).toBe(
      'Bo Chen now has a seat: booked into 3 remaining sessions. ' +
        'Not booked into 2 full sessions: Tue 22 Jan 2030, Tue 29 Jan 2030.',
    );
    const one = { ...some, sessionsBooked: 0, fullSessions: [full(43, '2030-01-22')] };
    expect(acceptOutcomeText('Bo Chen', one)).toBe(
      'Bo Chen now has a seat: there are no remaining sessions to book yet. ' +
        'Not booked into 1 full session: Tue 22 Jan 2030.',
    );
    expect(enrollOutcomeText(one, false)).toBe(
      'Enrolled; there are no sessions to book yet. ' +
        'Not booked into 1 full session: Tue 22 Jan 2030.',
    );
    expect(fullSessionsText({ fullSessions: [] })).toBe('');
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
