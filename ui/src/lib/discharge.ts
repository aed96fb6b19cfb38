/**
 * Why someone left a group or its waitlist, the one place the UI words it:
 * the choices in the order they are offered and what each is called. The
 * reason is for every role to see; anything clinical goes in the
 * discharge's clinical note, which only clinical staff write and read
 * (`groups::discharge` and `notes::discharge_note` in the core).
 */
import type { DischargeReason } from './api';

/** The order the choices are offered in. */
export const DISCHARGE_REASONS: readonly DischargeReason[] = [
  'completed',
  'choseToLeave',
  'stoppedAttending',
  'referredElsewhere',
  'movedAway',
  'other',
];

export const DISCHARGE_REASON_WORDS: Record<DischargeReason, string> = {
  completed: 'Completed the group',
  choseToLeave: 'Chose to leave',
  stoppedAttending: 'Stopped attending',
  referredElsewhere: 'Referred elsewhere',
  movedAway: 'Moved away',
  other: 'Other',
};

/** The select's choices. */
export const DISCHARGE_REASON_OPTIONS: readonly { value: DischargeReason; label: string }[] =
  DISCHARGE_REASONS.map((value) => ({ value, label: DISCHARGE_REASON_WORDS[value] }));

export function isDischargeReason(value: string): value is DischargeReason {
  return (DISCHARGE_REASONS as readonly string[]).includes(value);
}
