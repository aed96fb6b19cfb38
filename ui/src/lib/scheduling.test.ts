import { describe, expect, it } from 'vitest';
import { PAIRING_LABELS, REPEAT_LABELS, isPairing, sessionTitle } from './scheduling';

describe('sessionTitle', () => {
  it('names a group session by its group alone', () => {
    expect(
      sessionTitle({ format: 'group', groupName: 'Tuesday DBT Skills', clientNames: [] }),
    ).toBe('Tuesday DBT Skills');
  });

  it('names an individual session by its kind and its client', () => {
    expect(
      sessionTitle({
        format: 'individual',
        groupName: 'Individual session',
        clientNames: ['Kwame Mensah'],
      }),
    ).toBe('Individual session · Kwame Mensah');
  });

  it('names a family/couple session by its kind and every client, in the order sent', () => {
    expect(
      sessionTitle({
        format: 'family',
        groupName: 'Family/couple session',
        clientNames: ['Ana Reyes', 'Luis Reyes'],
      }),
    ).toBe('Family/couple session · Ana Reyes, Luis Reyes');
  });

  it('reads a list without the format (a note to do) by its group name', () => {
    expect(sessionTitle({ groupName: 'Individual session' })).toBe('Individual session');
  });

  it('says only the kind when no names came with it', () => {
    expect(sessionTitle({ format: 'family', groupName: 'whatever', clientNames: [] })).toBe(
      'Family/couple session',
    );
  });
});

describe('pairing words', () => {
  it('tells a pairing from a group', () => {
    expect(isPairing({ format: 'group' })).toBe(false);
    expect(isPairing({ format: 'individual' })).toBe(true);
    expect(isPairing({ format: 'family' })).toBe(true);
  });

  it('keeps the labels the booking form and the tests rely on', () => {
    expect(PAIRING_LABELS).toEqual({
      individual: 'Individual session',
      family: 'Family/couple session',
    });
    expect(Object.values(REPEAT_LABELS)).toEqual(['Does not repeat', 'Weekly', 'Every two weeks']);
  });
});
