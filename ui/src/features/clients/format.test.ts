import { describe, expect, it } from 'vitest';
import { formatDate } from '../../lib/datetime';
import { enrollment } from './fixtures';
import { ageOn, attendanceWord, enrollmentText, formatDay, inputOf, emptyDraft } from './format';

describe('clients format', () => {
  it('counts age in whole years, the birthday itself included', () => {
    expect(ageOn('1984-03-27', '2025-03-26')).toBe(40);
    expect(ageOn('1984-03-27', '2025-03-27')).toBe(41);
    expect(ageOn('2000-02-29', '2025-02-28')).toBe(24);
    expect(ageOn('2000-02-29', '2025-03-01')).toBe(25);
    expect(ageOn('2030-01-01', '2025-03-01')).toBeNull();
    expect(ageOn('', '2025-03-01')).toBeNull();
  });

  it('adds the year only to dates outside this year', () => {
    expect(formatDay('2025-03-04', '2025-12-01')).toBe(formatDate('2025-03-04'));
    expect(formatDay('2023-03-04', '2025-12-01')).toBe(`${formatDate('2023-03-04')} 2023`);
  });

  it('says where a client stands in a group', () => {
    const today = '2025-06-01';
    expect(enrollmentText(enrollment(1, { enrolledOn: '2025-01-07' }), today)).toBe(
      `Active since ${formatDate('2025-01-07')}`,
    );
    expect(
      enrollmentText(enrollment(1, { status: 'waitlisted', waitlistPlace: 2 }), today),
    ).toBe('Waitlisted, place 2');
    expect(
      enrollmentText(
        enrollment(1, {
          status: 'discharged',
          dischargedOn: '2025-05-02',
          dischargeReason: 'movedAway',
        }),
        today,
      ),
    ).toBe(`Discharged on ${formatDate('2025-05-02')} — Moved away`);
  });

  it('names attendance with a word and a symbol', () => {
    expect(attendanceWord(null, false).word).toBe('Not recorded');
    expect(attendanceWord('present', true).word).toBe('Session cancelled');
    const noShow = attendanceWord('noShow', false);
    expect(noShow.word).toBe('No-show');
    expect(noShow.symbol).not.toBe('');
  });

  it('sends trimmed text and empty optional fields as nothing', () => {
    const input = inputOf({ ...emptyDraft(), legalFirstName: ' Zoë ', legalLastName: 'M', email: '  ' });
    expect(input).toEqual({
      legalFirstName: 'Zoë',
      middleName: null,
      legalLastName: 'M',
      preferredName: null,
      nameOrder: 'givenFirst',
      pronouns: null,
      dateOfBirth: null,
      phone: null,
      email: null,
      emergencyName: null,
      emergencyPhone: null,
      status: 'prospect',
    });
  });

  it('sends a middle name trimmed, and only a name order Rust knows', () => {
    const input = inputOf({
      ...emptyDraft(),
      legalFirstName: 'Minh',
      middleName: ' Thị ',
      legalLastName: 'Nguyễn',
      nameOrder: 'familyFirst',
    });
    expect(input.middleName).toBe('Thị');
    expect(input.nameOrder).toBe('familyFirst');
    expect(inputOf({ ...emptyDraft(), nameOrder: 'sideways' }).nameOrder).toBe('givenFirst');
    expect(emptyDraft().nameOrder).toBe('givenFirst');
  });
});
