import { describe, expect, it } from 'vitest';
import { describeAction, describeActor, describeEntity, timeFormatter } from './describe';

const names = new Map([
  [2, 'Dana Reyes'],
  [5, 'Sam Okafor'],
]);
const berlin = timeFormatter('Europe/Berlin', 'en-GB');

function words(action: string, detail: string | null = null) {
  return describeAction({ action, detail }, berlin);
}

describe('audit wording', () => {
  it('formats times in the practice zone, like "Tue 3 Mar 2026, 18:00"', () => {
    expect(berlin('2026-03-03T17:00:00Z')).toBe('Tue 3 Mar 2026, 18:00');
    // Summer time: still the wall-clock time in Berlin.
    expect(berlin('2026-07-07T16:00:00Z')).toBe('Tue 7 Jul 2026, 18:00');
    expect(timeFormatter('America/New_York', 'en-GB')('2026-03-03T23:30:00Z')).toBe(
      'Tue 3 Mar 2026, 18:30',
    );
  });

  it('falls back to the local zone for an unknown zone, and shows bad input as is', () => {
    expect(() => timeFormatter('Not/AZone', 'en-GB')).not.toThrow();
    expect(berlin('yesterday')).toBe('yesterday');
  });

  it('maps action codes to plain English', () => {
    expect(words('session.unlock')).toEqual({ summary: 'Signed in', detail: null });
    expect(words('session.lock').summary).toBe('Locked');
    expect(words('session.recover').summary).toBe('Signed in with the recovery code');
    expect(words('staff.deactivated').summary).toBe('Deactivated a staff member');
    expect(words('staff.passphrase_reset').summary).toBe('Reset a passphrase');
    expect(words('vault.setup').summary).toBe('Set up Circle');
  });

  it('explains the details the core records', () => {
    expect(words('staff.role_changed', 'clinician->front_desk')).toEqual({
      summary: 'Changed a role',
      detail: 'clinician → front desk',
    });
    expect(words('staff.added', 'role=manager')).toEqual({
      summary: 'Added a staff member',
      detail: 'as practice manager',
    });
    expect(words('vault.keys_rotated', 'practice+clinical')).toEqual({
      summary: 'Replaced the encryption keys',
      detail: 'practice and clinical records',
    });
    expect(
      words('practice.settings_changed', 'retention_years=10 retention_minor_years=3'),
    ).toEqual({
      summary: 'Changed a setting',
      detail: 'records kept 10 years after the last contact; minors until 3 years after they turn 18',
    });
    expect(words('client.purged', 'record=C-000012 trail=ab12')).toEqual({
      summary: "Purged a client's records for good",
      detail: 'record C-000012',
    });
    expect(words('practice.settings_changed', 'idle_lock_minutes=15')).toEqual({
      summary: 'Changed a setting',
      detail: 'automatic lock after 15 minutes',
    });
    expect(words('session.unlock_failed', 'attempted at 2026-03-03T17:00:00Z')).toEqual({
      summary: 'Failed sign-in',
      detail: 'tried Tue 3 Mar 2026, 18:00',
    });
    expect(words('session.unlock_failed', 'unknown username, attempted at 2026-03-03T17:00:00Z').detail).toBe(
      'unknown username, tried Tue 3 Mar 2026, 18:00',
    );
  });

  it('words the key and recovery safeguards, with their details', () => {
    expect(words('vault.key_rotation_failed', 'nothing changed')).toEqual({
      summary: 'Key rotation failed',
      detail: 'nothing changed',
    });
    expect(words('vault.key_rotation_failed', 'finishes at next sign-in')).toEqual({
      summary: 'Key rotation failed',
      detail: 'it finishes at the next sign-in',
    });
    expect(words('vault.key_rotation_finished', 'practice.db')).toEqual({
      summary: 'Key rotation finished at sign-in',
      detail: 'practice records (practice.db)',
    });
    expect(words('vault.key_rotation_finished', 'clinical.db').detail).toBe(
      'clinical records (clinical.db)',
    );
    expect(words('vault.key_delivery_refused', 'clinical.db')).toEqual({
      summary: 'A key in keyring.json was refused',
      detail: 'clinical records (clinical.db)',
    });
    expect(words('vault.keyring_mismatch')).toEqual({
      summary: "keyring.json did not match the vault's record",
      detail: null,
    });
    expect(words('vault.keyring_mismatch', 'login').detail).toBe(
      'a staff login, found while replacing the keys; nothing changed',
    );
    expect(words('vault.keyring_mismatch', 'recovery').detail).toBe(
      "the recovery code's login, found while replacing the keys; nothing changed",
    );
    expect(words('session.recover_failed', 'attempted at 2026-03-03T17:00:00Z')).toEqual({
      summary: 'Recovery code attempt failed',
      detail: 'tried Tue 3 Mar 2026, 18:00',
    });
    expect(words('staff.clinical_access_granted')).toEqual({
      summary: 'Gave access to the clinical records',
      detail: null,
    });
    // Details it does not recognise are shown as they are.
    expect(words('vault.key_delivery_refused', 'other.db').detail).toBe('other.db');
    expect(words('session.recover_failed', 'yesterday').detail).toBe('yesterday');
  });

  it('shows codes it does not know as they are', () => {
    expect(words('backup.created', 'weekly')).toEqual({ summary: 'backup.created', detail: 'weekly' });
  });

  it('resolves people and records through the staff list', () => {
    expect(describeActor(2, names)).toBe('Dana Reyes');
    expect(describeActor(9, names)).toBe('#9');
    expect(describeActor(null, names)).toBe('—');
    expect(describeEntity({ entityKind: 'staff', entityId: 5 }, names)).toBe('Staff: Sam Okafor');
    expect(describeEntity({ entityKind: 'staff', entityId: 9 }, names)).toBe('Staff #9');
    expect(describeEntity({ entityKind: 'client', entityId: 12 }, names)).toBe('Client #12');
    expect(describeEntity({ entityKind: null, entityId: null }, names)).toBe('—');
  });
});

describe('scheduling actions', () => {
  it('reads every scheduling and client code in plain words', () => {
    for (const [action, words] of [
      ['schedule.viewed', 'Viewed the schedule'],
      ['client.viewed', "Opened a client's record"],
      ['enrollment.activated', 'Gave a waiting client a seat'],
      ['appointment.moved', 'Moved an appointment'],
      ['attendance.recorded', 'Recorded attendance'],
      ['appointment.attendance_recorded', 'Recorded attendance at an appointment'],
    ] as const) {
      expect(describeAction({ action, detail: null }, () => '').summary).toBe(words);
    }
  });
});

describe('note actions', () => {
  it('reads every note, goal and private-note code in plain words', () => {
    for (const [action, words] of [
      ['note.signed', 'Signed a session note'],
      ['note.cosigned', 'Co-signed a session note'],
      ['note.addendum_signed', 'Signed an addendum to a session note'],
      ['note.searched', 'Searched the notes'],
      ['goal.created', 'Added a goal'],
      ['private_note.saved', 'Saved their own private note'],
      ['measure.entered', 'Entered an outcome measure (PHQ-9 or GAD-7)'],
      ['measure.risk_acknowledged', 'Acknowledged a PHQ-9 risk answer with a safety note'],
      ['staff.supervisor_changed', "Changed a clinician's supervisor"],
    ] as const) {
      expect(describeAction({ action, detail: null }, () => '').summary).toBe(words);
    }
  });

  it('explains the note scope setting', () => {
    const words = describeAction(
      { action: 'practice.settings_changed', detail: 'notes_scope_limited=false' },
      () => '',
    );
    expect(words.detail).toBe("clinicians read every client's notes");
  });
});

describe('details in words', () => {
  const say = (action: string, detail: string) =>
    describeAction({ action, detail }, berlin, names).detail;

  it('says which days of the schedule were viewed, in the practice locale', () => {
    expect(say('schedule.viewed', 'from=2026-03-02 days=1')).toBe('the day Mon 2 Mar 2026');
    expect(say('schedule.viewed', 'from=2026-03-02 days=7')).toBe('7 days from Mon 2 Mar 2026');
  });

  it('words scheduling, roster and client details', () => {
    expect(say('series.created', 'group=4 sessions=12')).toBe('12 sessions for group #4');
    expect(say('series.updated', 'sessions=1')).toBe('1 session changed');
    expect(say('enrollment.created', 'group=4 client=9 sessions=8 full=0')).toBe(
      'Client #9; into group #4; booked into 8 sessions',
    );
    expect(say('enrollment.activated', 'sessions=3 full=1')).toBe(
      'Booked into 3 sessions; 1 session was already full',
    );
    expect(
      say('enrollment.discharged', 'sessions_released=2 reason=moved_away clinical_note=true'),
    ).toBe('Reason: moved away; left 2 sessions still to come; with a clinical note');
    expect(say('attendance.recorded', 'client=9 status=no_show')).toBe('client #9: no-show');
    expect(say('appointment.attendance_recorded', 'status=no_show')).toBe('no-show');
    expect(say('client.updated', 'fields=dateOfBirth,phone')).toBe('changed date of birth, phone');
    expect(say('client.updated', 'fields=status status=active by=roster')).toBe(
      'status became active, following the roster',
    );
    expect(say('client.viewed', 'appointments')).toBe('their appointments');
    expect(say('group.updated', 'facilitators 2->2,5')).toBe(
      'facilitators: Dana Reyes → Dana Reyes, Sam Okafor',
    );
    expect(say('staff.supervisor_changed', 'supervisor=none')).toBe('no supervisor');
  });

  it('words note details without note content', () => {
    expect(say('note.signed', 'awaiting co-signature hash=0123456789abcdef0123')).toBe(
      'Signed, waiting for a co-signature; content fingerprint 0123456789ab…',
    );
    expect(say('note.addendum_signed', 'addendum=3 member client=9 hash=abcdef')).toBe(
      "Addendum #3 to client #9's part; content fingerprint abcdef…",
    );
    expect(say('note.searched', 'results=1')).toBe('1 result');
    expect(say('note.listed', 'recently_signed results=4')).toBe('4 recently signed notes listed');
  });

  it('words the time zone and locale settings', () => {
    expect(
      say(
        'practice.settings_changed',
        'timezone=Europe/Dublin from=Europe/London sessions_kept=6 appointments_kept=1',
      ),
    ).toBe(
      'time zone Europe/London → Europe/Dublin; 6 sessions and 1 appointment still to come kept their local time',
    );
    expect(
      say(
        'practice.settings_changed',
        'timezone=Europe/Dublin from=Europe/London sessions_kept=0 appointments_kept=0',
      ),
    ).toBe('time zone Europe/London → Europe/Dublin');
    expect(say('practice.settings_changed', 'locale=en-IE')).toBe(
      'dates and times written as in English (Ireland)',
    );
  });
});

describe('consent and disclosure actions', () => {
  const say = (action: string, detail: string | null) =>
    describeAction({ action, detail }, berlin, names);

  it('reads each code in plain words, with the consent or the count but never a recipient', () => {
    expect(say('consent.added', 'consent=4')).toEqual({
      summary: "Recorded a client's consent to release their record",
      detail: 'consent #4',
    });
    expect(say('consent.revoked', 'consent=4').summary).toBe(
      "Recorded the revocation of a client's consent",
    );
    expect(say('consent.viewed', 'consents=1').detail).toBe('1 consent');
    expect(say('disclosure.viewed', 'disclosures=3')).toEqual({
      summary: "Read a client's accounting of disclosures",
      detail: '3 releases',
    });
  });
});
